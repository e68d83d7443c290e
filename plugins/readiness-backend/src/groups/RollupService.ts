import type {
  GroupRollup,
  Initiative,
  InitiativeEntityState,
  RollupFigures,
  RollupGroup,
} from '@prodready/plugin-readiness-common';
import type {
  ListScoresRequest,
  ScoreFilter,
  ScoreListItem,
  ScoreSummary,
} from '../database/ReadinessStore';
import type { GroupHierarchy } from './GroupHierarchy';

/** How many of the lowest-scoring services a roll-up names. */
export const WORST_SERVICES = 5;

/**
 * Where the scores come from: the overview read model (in memory), or the
 * store (`summariseScores`/`listScores`) through {@link storeRollupSource}.
 */
export interface RollupScores {
  summarise(filter?: ScoreFilter): Promise<ScoreSummary>;
  list(request: ListScoresRequest): Promise<{
    items: Array<
      Pick<ScoreListItem, 'entityRef' | 'owner' | 'level' | 'score'>
    >;
  }>;
}

/**
 * The initiatives a roll-up names as due, from the initiatives service: the
 * initiatives in force, and how many entities of a set of owners each has in
 * scope (and not met).
 */
export interface RollupInitiatives {
  list(): Promise<
    Array<Pick<Initiative, 'id' | 'title' | 'deadline' | 'daysLeft' | 'phase'>>
  >;
  listEntities(
    id: string,
    options: {
      owners: string[];
      states?: InitiativeEntityState[];
      limit: number;
    },
  ): Promise<{ totalCount: number }>;
}

/** The group hierarchy, as a roll-up reads it. */
export type RollupGroups = GroupHierarchy & {
  childrenOf(ref: string): Promise<string[]>;
  titleOf(ref: string): Promise<string | undefined>;
};

/** Options of {@link RollupService}. */
export interface RollupServiceOptions {
  groups: RollupGroups;
  scores: RollupScores;
  initiatives?: RollupInitiatives;
}

/** {@link RollupScores} from the store's own queries. */
export function storeRollupSource(store: {
  summariseScores(filter?: ScoreFilter): Promise<ScoreSummary>;
  listScores: RollupScores['list'];
}): RollupScores {
  return {
    summarise: filter => store.summariseScores(filter),
    list: request => store.listScores(request),
  };
}

function figures(summary: {
  total: number;
  averageScore: number | null;
  levels: ScoreSummary['levels'];
}): RollupFigures {
  return {
    services: summary.total,
    averageScore: summary.averageScore,
    levels: summary.levels,
  };
}

/** The figures of the services a group owns itself, from a summary by owner. */
function directFigures(summary: ScoreSummary, groupRef: string): RollupFigures {
  const own = summary.owners.find(
    owner => owner.owner?.toLocaleLowerCase('en-US') === groupRef,
  );
  return own
    ? {
        services: own.count,
        averageScore: own.averageScore,
        levels: own.levels,
      }
    : { services: 0, averageScore: null, levels: [] };
}

/**
 * The readiness of a group and its sub-groups at every depth: its own
 * services, its subtree, each direct sub-group's subtree, the worst services
 * and the initiatives due. One summary of the subtree gives each group's
 * own figures (per owner), one summary per direct sub-group its subtree's
 * (averages are exact, not averages of averages), and one page the worst
 * services; the filters are owner lists, so a visibility restriction
 * (`entityRefs`) applies to all of them alike.
 */
export class RollupService {
  readonly #groups: RollupGroups;
  readonly #scores: RollupScores;
  readonly #initiatives?: RollupInitiatives;

  constructor(options: RollupServiceOptions) {
    this.#groups = options.groups;
    this.#scores = options.scores;
    this.#initiatives = options.initiatives;
  }

  /**
   * The roll-up of a group (a lower-case ref), restricted to `entityRefs`
   * when given (the entities the caller may see).
   */
  async getRollup(
    groupRef: string,
    options: { entityRefs?: string[] } = {},
  ): Promise<GroupRollup> {
    const restrict = (filter: ScoreFilter): ScoreFilter =>
      options.entityRefs
        ? { ...filter, entityRefs: options.entityRefs }
        : filter;
    const subtree = await this.#groups.descendantsOf(groupRef);
    const [totalSummary, children, worst, initiativesDue, title] =
      await Promise.all([
        this.#scores.summarise(restrict({ owners: subtree })),
        this.#children(groupRef, restrict),
        this.#scores.list({
          filter: restrict({ owners: subtree }),
          orderBy: 'score',
          order: 'asc',
          limit: WORST_SERVICES,
        }),
        this.#initiativesDue(subtree),
        this.#groups.titleOf(groupRef),
      ]);
    return {
      group: groupRef,
      ...(title !== undefined && { title }),
      direct: directFigures(totalSummary, groupRef),
      total: figures(totalSummary),
      descendants: subtree.length - 1,
      children,
      initiativesDue,
      worstServices: worst.items.map(item => ({
        entityRef: item.entityRef,
        owner: item.owner,
        level: item.level,
        score: item.score,
      })),
    };
  }

  async #children(
    groupRef: string,
    restrict: (filter: ScoreFilter) => ScoreFilter,
  ): Promise<RollupGroup[]> {
    const children = await this.#groups.childrenOf(groupRef);
    return Promise.all(
      children.map(async child => {
        const [subtree, title] = await Promise.all([
          this.#groups.descendantsOf(child),
          this.#groups.titleOf(child),
        ]);
        const summary = await this.#scores.summarise(
          restrict({ owners: subtree }),
        );
        return {
          group: child,
          ...(title !== undefined && { title }),
          direct: directFigures(summary, child),
          total: figures(summary),
          descendants: subtree.length - 1,
        };
      }),
    );
  }

  /**
   * The active initiatives with services of the subtree not yet met,
   * soonest deadline first.
   */
  async #initiativesDue(
    subtree: string[],
  ): Promise<GroupRollup['initiativesDue']> {
    const initiatives = this.#initiatives;
    if (!initiatives) {
      return [];
    }
    const active = (await initiatives.list()).filter(
      initiative => initiative.phase === 'active',
    );
    const due = await Promise.all(
      active.map(async initiative => {
        const [inScope, notMet] = await Promise.all([
          initiatives.listEntities(initiative.id, {
            owners: subtree,
            limit: 1,
          }),
          initiatives.listEntities(initiative.id, {
            owners: subtree,
            states: ['not-met'],
            limit: 1,
          }),
        ]);
        return {
          id: initiative.id,
          title: initiative.title,
          deadline: initiative.deadline,
          daysLeft: initiative.daysLeft,
          inScope: inScope.totalCount,
          notMet: notMet.totalCount,
        };
      }),
    );
    return due
      .filter(initiative => initiative.notMet > 0)
      .sort(
        (a, b) =>
          a.daysLeft - b.daysLeft || Number(a.id > b.id) - Number(a.id < b.id),
      );
  }
}
