import type { Config } from '@backstage/config';

/**
 * The settings of the Tech Insights bridge, from `readiness.techInsights`.
 *
 * @public
 */
export interface TechInsightsBridgeSettings {
  /** The fact retrievers whose facts are read, in order. */
  factRetrieverIds: string[];
  /** Facts older than this many days are left out. */
  maxAgeDays?: number;
}

const KEY = 'readiness.techInsights';

/** Keys of the facts document that are not fact retriever ids. */
export const NOTES_KEY = '_notes';

function describe(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/**
 * Reads and validates `readiness.techInsights`. Throws an error that names
 * the key and says what is expected, so that the backend does not start with
 * a bridge that reads nothing.
 */
export function readTechInsightsBridgeSettings(
  config: Config,
): TechInsightsBridgeSettings {
  const section = config.getOptional(KEY);
  if (section === undefined) {
    throw new Error(
      `${KEY}.factRetrieverIds is required by the Tech Insights bridge module: list the ids of the Tech Insights fact retrievers whose facts the readiness engine reads, such as [entityOwnershipFactRetriever]`,
    );
  }
  if (
    section === null ||
    typeof section !== 'object' ||
    Array.isArray(section)
  ) {
    throw new Error(
      `${KEY} must be an object with factRetrieverIds; got ${describe(
        section,
      )}`,
    );
  }
  const raw = (section as Record<string, unknown>).factRetrieverIds;
  if (raw === undefined) {
    throw new Error(
      `${KEY}.factRetrieverIds is required by the Tech Insights bridge module: list the ids of the Tech Insights fact retrievers whose facts the readiness engine reads, such as [entityOwnershipFactRetriever]`,
    );
  }
  if (!Array.isArray(raw) || raw.length === 0) {
    throw new Error(
      `${KEY}.factRetrieverIds must be a non-empty list of fact retriever ids; got ${describe(
        raw,
      )}`,
    );
  }
  const ids: string[] = [];
  raw.forEach((id, index) => {
    if (typeof id !== 'string' || id.trim() === '') {
      throw new Error(
        `${KEY}.factRetrieverIds[${index}] must be a fact retriever id; got ${describe(
          id,
        )}`,
      );
    }
    if (id === NOTES_KEY) {
      throw new Error(
        `${KEY}.factRetrieverIds[${index}] '${NOTES_KEY}' is reserved for the notes of the facts document`,
      );
    }
    if (ids.includes(id)) {
      throw new Error(
        `${KEY}.factRetrieverIds[${index}] '${id}' is listed twice`,
      );
    }
    ids.push(id);
  });
  const maxAgeDays = (section as Record<string, unknown>).maxAgeDays;
  if (
    maxAgeDays !== undefined &&
    (typeof maxAgeDays !== 'number' ||
      !Number.isFinite(maxAgeDays) ||
      maxAgeDays <= 0)
  ) {
    throw new Error(
      `${KEY}.maxAgeDays must be a number of days greater than zero; got ${describe(
        maxAgeDays,
      )}`,
    );
  }
  return {
    factRetrieverIds: ids,
    ...(maxAgeDays !== undefined && { maxAgeDays: maxAgeDays as number }),
  };
}
