import { hashJson, stableStringify } from './hash';
import { createLimiter } from '@prodready/plugin-readiness-engine';

describe('stableStringify', () => {
  it('does not depend on the order of keys', () => {
    const a = { b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } };
    const b = { a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 };
    expect(stableStringify(a)).toBe(stableStringify(b));
    expect(stableStringify(a)).toBe(
      '{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}',
    );
    expect(hashJson(a)).toBe(hashJson(b));
    expect(hashJson(a)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('treats values like JSON.stringify does', () => {
    expect(stableStringify({ a: undefined, b: 'x' })).toBe('{"b":"x"}');
    expect(stableStringify([undefined, 1])).toBe('[null,1]');
    expect(stableStringify(new Date(0))).toBe('"1970-01-01T00:00:00.000Z"');
    expect(stableStringify('é"')).toBe(JSON.stringify('é"'));
    expect(hashJson({ a: 1 })).not.toBe(hashJson({ a: '1' }));
  });
});

describe('createLimiter', () => {
  it('runs at most the given number of tasks at a time, in order', async () => {
    const limit = createLimiter(2);
    let active = 0;
    let maxActive = 0;
    const started: number[] = [];
    const results = await Promise.all(
      Array.from({ length: 7 }, (_, i) =>
        limit(async () => {
          started.push(i);
          active += 1;
          maxActive = Math.max(maxActive, active);
          await new Promise(resolve => setTimeout(resolve, 2));
          active -= 1;
          return i * 10;
        }),
      ),
    );
    expect(results).toEqual([0, 10, 20, 30, 40, 50, 60]);
    expect(maxActive).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('passes failures on and keeps going', async () => {
    const limit = createLimiter(1);
    const failing = limit(() => {
      throw new Error('boom');
    });
    const next = limit(async () => 'ok');
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ok');
  });
});
