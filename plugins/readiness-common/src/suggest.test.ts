import { closestName, editDistance } from './suggest';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['rto', 'rto', 0],
    ['rto', 'rpo', 1],
    ['latency95', 'latencyP95', 1],
    ['kitten', 'sitting', 3],
  ])('from %s to %s is %d', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

describe('closestName', () => {
  const fields = [
    'rto',
    'rpo',
    'backupSchedule',
    'backupRetention',
    'runbookUrl',
  ];

  it.each([
    ['rtp', 'rto'],
    ['backupschedule', 'backupSchedule'],
    ['backup-schedule', 'backupSchedule'],
    ['runbook', 'runbookUrl'],
    ['foo', undefined],
    ['backup', undefined],
    ['retention', undefined],
  ])('suggests for %s: %s', (name, expected) => {
    expect(closestName(name, fields)).toBe(expected);
  });

  it('honours the largest distance', () => {
    expect(closestName('backupSchedul', fields, 0)).toBe('backupSchedule');
    expect(closestName('backupSchedXX', fields, 1)).toBeUndefined();
  });
});
