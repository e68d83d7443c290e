export interface Config {
  /** Configuration of Production Readiness for Backstage. */
  readiness?: {
    /**
     * Entity refs of the users and groups that administer production
     * readiness: their members may refresh, attest and waive on any entity.
     * Example: `group:default/platform-team`.
     */
    admins?: string[];
  };
}
