/**
 * An entity that the catalog could not process, as stored.
 */
export interface CatalogProblem {
  /** The entity ref, as the catalog published it. */
  entityRef: string;
  /** Where the entity is defined, if the catalog said. */
  location?: string;
  /** The processing errors, one message each. */
  messages: string[];
  /** When the problem was first recorded. */
  firstSeenAt: Date;
  /** When the catalog last reported the problem. */
  lastSeenAt: Date;
}

/** A report of the catalog that an entity failed processing. */
export interface CatalogProblemRecord {
  entityRef: string;
  location?: string;
  messages: string[];
  seenAt: Date;
}

/**
 * Stores the entities that currently fail catalog processing: one row per
 * entity, refreshed every time the catalog reports it again.
 */
export interface CatalogProblemStore {
  /**
   * Records a report: inserts the entity, or replaces its messages and
   * location and moves `lastSeenAt` forward. `firstSeenAt` is kept.
   */
  record(problem: CatalogProblemRecord): Promise<void>;

  /**
   * The problems last seen at or after `seenSince`, optionally of one entity
   * only (the ref is compared case-insensitively), most recently seen first.
   */
  list(options: {
    entityRef?: string;
    seenSince: Date;
  }): Promise<CatalogProblem[]>;

  /** Deletes the problems last seen before `olderThan`; returns how many. */
  prune(olderThan: Date): Promise<number>;
}
