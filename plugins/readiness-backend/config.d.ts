import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';
import { HumanDuration, JsonObject } from '@backstage/types';

export interface Config {
  /** Configuration of Production Readiness for Backstage. */
  readiness?: {
    /**
     * Entity refs of the users and groups that administer production
     * readiness: their members may refresh, attest and waive on any entity.
     * Example: `group:default/platform-team`.
     */
    admins?: string[];

    /**
     * The catalog validation problems: entities that the catalog could not
     * process (for example because a `prodready.dev/` annotation is
     * malformed), collected from the catalog's `experimental.catalog.errors`
     * events and shown on the readiness page.
     */
    catalogProblems?: {
      /**
       * How long a problem is shown after the catalog last reported it; older
       * ones are deleted. The catalog reports a broken entity again on every
       * processing cycle (every 100–200 seconds by default) and stops once it
       * is fixed, so keep this longer than a cycle. A duration object such as
       * `{ minutes: 10 }`, or a string such as `10m` or `PT10M`.
       * Default: 10 minutes.
       */
      retention?: HumanDuration | string;
    };

    /**
     * Readiness checks, in addition to the built-in ones. Each is an object
     * with `id`, `title`, `area`, `level`, `severity`, `rule`, `remediation`
     * and optionally `description`, `applicability` (`kinds`, `types`,
     * `lifecycles`, `tiers`), `messages` (`pass` and `fail` texts with fact
     * placeholders such as `{deployment.hpa.name}`; a condition may have its
     * own `message`) and `docsUrl`. The rule uses the Tech Insights
     * (json-rules-engine) condition syntax. A check with the id of a built-in
     * check, or of a check in `checkFiles`, replaces it. Checks are compiled
     * once at start-up; an invalid one stops the backend with a message that
     * names the check and the field. A check with `source: external` has no
     * rule (nor messages): its result is pushed by a pipeline with
     * `POST /api/readiness/results/{kind}/{namespace}/{name}` (a service
     * token), counts like any result and is stale after its TTL.
     */
    checks?: JsonObject[];

    /**
     * YAML files of readiness checks, relative to the working directory of
     * the backend. Each file is a list of checks, or an object with a
     * `checks` list; see `checks`. Later files replace checks of earlier
     * files with the same id.
     */
    checkFiles?: string[];

    /** Ids of checks (built-in or configured) that are not evaluated. */
    disabledChecks?: string[];

    /**
     * Phases of the readiness programme, in addition to the built-in Phase 4
     * "Deployment & Scaling". Each is an object with `id`, `title`,
     * `checklists` (each with `id`, `title`, `items` and optionally
     * `description` and `ordered`) and optionally `description`, `order` and
     * `applicability` (`kinds`, `types`, `lifecycles`, `tiers`). An item has
     * `id` (unique within the phase), `text`, `kind` (`manual`, `automatic`
     * or `both`), and optionally `checks` (check ids, for `automatic` and
     * `both`), `expiresAfter` (such as `365d`), `ordered`, `area` and
     * `description`. A phase with the id of a built-in phase, or of a phase
     * in `phaseFiles`, replaces it. Invalid phases stop the backend with a
     * message naming the phase, the item and the field.
     */
    phases?: JsonObject[];

    /**
     * YAML files of phases, relative to the working directory of the
     * backend. Each file is a phase, a list of phases, or an object with a
     * `phases` list; see `phases`. Later files replace phases of earlier
     * files with the same id.
     */
    phaseFiles?: string[];

    /**
     * Initiatives: goals with a deadline for a scope of entities. Each is an
     * object with `id`, `title`, `owner` (a group ref), `startDate` and
     * `deadline` (`YYYY-MM-DD`), `scope` (at least one of `kinds`, `types`,
     * `lifecycles`, `tiers`, `owners` (with every group under them),
     * `systems`, `tags`) and `goal` (`{ type: level, level }`,
     * `{ type: checks, checks }` or `{ type: checklists, phase, checklists? }`),
     * and optionally `description`, `enforcedFrom` (a checks goal's checks
     * lower levels only from that day), `reminders` (days before the
     * deadline) and `requireWaiverApproval`. They are validated at start-up
     * against the checks, levels and phases in force; an invalid one stops
     * the backend with a message naming the initiative and the field. They
     * are read-only in the API, where admins create others.
     */
    initiatives?: JsonObject[];

    /**
     * YAML files of initiatives, relative to the working directory of the
     * backend. Each holds an initiative, a list of them, or an object with an
     * `initiatives` list; see `initiatives`. Ids must be unique across all.
     */
    initiativeFiles?: string[];

    /** Ids of phases (built-in or configured) that are not shown. */
    disabledPhases?: string[];

    /**
     * The catalog's group hierarchy (`parentOf`/`childOf`), with which the
     * overview's owner filter, roll-ups and initiative scopes cover every
     * group under a group.
     */
    groups?: {
      /**
       * How long the hierarchy read from the catalog is used before it is
       * read again, as a duration such as `5m` (the default) or `1h`.
       */
      refreshInterval?: string;
    };

    /** The checklists of the phases. */
    checklists?: {
      /**
       * Whether marking an item not applicable (a waiver) needs an admin
       * (`readiness.admins`), not just an owner of the entity. Default false.
       * Owners then request a waiver (`POST /waivers/...`, with a
       * justification and an expiry) that an admin approves or denies; an
       * initiative with `requireWaiverApproval` does the same for its
       * entities.
       */
      waiversRequireAdmin?: boolean;
      /**
       * How long a waiver lasts, at most and by default, as a duration such
       * as `90d` (the default) or `12w`. A waiver may be given an earlier
       * expiry. Expired waivers and attestations fall back to open.
       */
      waiverExpiresAfter?: string;
    };

    /**
     * The levels of the scorecard, such as Bronze, Silver and Gold (the
     * default) or phase gates. An entity reaches a level when no check of that
     * level or below fails. Every check must name one of these levels, so
     * levels without `bronze`, `silver` and `gold` need the built-in checks to
     * be replaced or disabled.
     */
    levels?: Array<{
      /** Stable id, referenced by the checks' `level`. */
      id: string;
      /** Display title. */
      title: string;
      /** Order of the levels, greater than zero; higher is better. Unique. */
      rank: number;
      /** What reaching the level means. */
      description?: string;
      /** A CSS colour for badges. */
      color?: string;
    }>;

    /** The evaluation of the catalog's entities. */
    evaluation?: {
      /**
       * How many entities are evaluated at the same time (their facts are
       * collected concurrently). Default 4.
       */
      concurrency?: number;
      /**
       * The entity kinds evaluated by the scheduled cycle. Default: the
       * kinds named by the checks' applicability, and `Component`.
       */
      kinds?: string[];
    };

    /** The overview of every entity. */
    overview?: {
      /**
       * How long a caller's read permission decisions are kept (the
       * policy's answer for `readiness.overview.read`, and for
       * `readiness.scorecard.read` without a resource), so that the
       * overview, its summary, trend and CSV, and scorecard and checklist
       * reads do not ask the permission backend on every request. A read of
       * one entity asks about it only when that answer is conditional. A
       * change of policy or of a user's groups reaches reads within this
       * time. A duration such as `{ seconds: 10 }` or `10s`; `0s` turns the
       * cache off; at most 5 minutes. Default 10 seconds. Every change
       * (refresh, attest, waive) is always asked.
       */
      permissionCacheTtl?: HumanDuration | string;
    };

    /**
     * Notifications through the Backstage notifications service
     * (`@backstage/plugin-notifications-backend`) to the owners of entities,
     * initiative owners and waiver approvers: a check that regresses (pass
     * to fail) or a level that drops; an attestation or waiver that expires
     * soon or expired; an initiative that starts or is created including the
     * entity; an initiative's deadline reminders for entities not met; waiver
     * requests and decisions. Each cause is sent once per entity and window,
     * however many backend replicas see it. Without the notifications
     * backend, sending fails, is logged once, and readiness keeps working.
     * Events (`readiness.check-status-changed`, `readiness.level-changed`)
     * and signals are published whatever these settings.
     */
    notifications?: {
      /** Whether notifications are sent at all. Default `true`. */
      enabled?: boolean;
      /**
       * Topics to switch off (`false`) or on (`true`, the default), by topic
       * (`readiness-regression`, `readiness-expiry`,
       * `readiness-initiative-started`, `readiness-initiative-deadline`,
       * `readiness-waiver`, `readiness-digest`) or by its short name
       * (`regression`, `expiry`, `initiativeStarted`, `initiativeDeadline`,
       * `waiver`, `digest`).
       */
      topics?: { [topic: string]: boolean };
      /**
       * `daily`: notifications of a day are queued and each recipient gets
       * one digest the next day (waiver requests and decisions are still
       * sent at once). Default `none`: each notification is sent at once.
       */
      digest?: 'none' | 'daily';
      /**
       * Days before an attestation or waiver expires that its owners are
       * warned; they are warned again 7 days and 1 day before (those not
       * above this number), and when it has expired. Default 14.
       */
      expiryWarningDays?: number;
    };

    /** How long evaluation history is kept. */
    retention?: {
      /** Days of check status transitions kept. Default 90. */
      historyDays?: number;
      /** Days of daily score snapshots (for trends) kept. Default 365. */
      snapshotDays?: number;
    };

    /**
     * When the evaluation cycle runs. Default: every 30 minutes, with a
     * timeout of 15 minutes, first 15 seconds after start-up. When set, it is
     * used as given (the timeout defaults to 15 minutes). The scope is always
     * `global`: with several backend instances on one database, one instance
     * at a time runs a cycle.
     */
    schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
  };
}
