import { ConfigReader } from '@backstage/config';
import { readTechInsightsBridgeSettings } from './config';

const read = (techInsights: unknown) =>
  readTechInsightsBridgeSettings(
    new ConfigReader(
      techInsights === undefined
        ? {}
        : ({ readiness: { techInsights } } as any),
    ),
  );

describe('readTechInsightsBridgeSettings', () => {
  it('reads the fact retriever ids and the maximum age', () => {
    expect(read({ factRetrieverIds: ['a', 'b'], maxAgeDays: 7 })).toEqual({
      factRetrieverIds: ['a', 'b'],
      maxAgeDays: 7,
    });
    expect(read({ factRetrieverIds: ['a'] })).toEqual({
      factRetrieverIds: ['a'],
    });
  });

  it.each([
    [undefined, 'readiness.techInsights.factRetrieverIds is required'],
    [{}, 'readiness.techInsights.factRetrieverIds is required'],
    [
      { factRetrieverIds: [] },
      'readiness.techInsights.factRetrieverIds must be a non-empty list of fact retriever ids; got []',
    ],
    [
      { factRetrieverIds: 'serviceBasics' },
      'readiness.techInsights.factRetrieverIds must be a non-empty list of fact retriever ids; got "serviceBasics"',
    ],
    [
      { factRetrieverIds: ['a', ''] },
      'readiness.techInsights.factRetrieverIds[1] must be a fact retriever id; got ""',
    ],
    [
      { factRetrieverIds: ['a', 'a'] },
      "readiness.techInsights.factRetrieverIds[1] 'a' is listed twice",
    ],
    [
      { factRetrieverIds: ['_notes'] },
      "readiness.techInsights.factRetrieverIds[0] '_notes' is reserved",
    ],
    [
      { factRetrieverIds: ['a'], maxAgeDays: 0 },
      'readiness.techInsights.maxAgeDays must be a number of days greater than zero; got 0',
    ],
    [
      { factRetrieverIds: ['a'], maxAgeDays: '7' },
      'readiness.techInsights.maxAgeDays must be a number of days greater than zero; got "7"',
    ],
    [
      'yes',
      'readiness.techInsights must be an object with factRetrieverIds; got "yes"',
    ],
  ])('rejects %j, naming the key', (techInsights, message) => {
    expect(() => read(techInsights)).toThrow(message);
  });
});
