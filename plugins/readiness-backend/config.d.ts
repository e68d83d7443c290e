import { HumanDuration } from '@backstage/types';

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
  };
}
