export interface Config {
  readiness?: {
    /**
     * The Tech Insights bridge
     * (`@prodready/plugin-readiness-backend-module-tech-insights`): a fact
     * collector, `techInsights`, that reads the latest facts Tech Insights has
     * collected for each entity over its REST API
     * (`GET /api/tech-insights/facts/latest`). Its document has one object per
     * fact retriever, with that retriever's facts and their `timestamp`, so
     * that a rule reads `{ fact: 'techInsights', path: '$.<retrieverId>.<factName>' }`.
     */
    techInsights?: {
      /**
       * The ids of the Tech Insights fact retrievers whose facts are read,
       * such as `entityOwnershipFactRetriever`. Required when the module is
       * installed; the backend does not start without it.
       */
      factRetrieverIds: string[];
      /**
       * Facts older than this many days are left out of the document (a note
       * in its `_notes` list says which), so that checks on them do not pass
       * on stale data. Default: no limit.
       */
      maxAgeDays?: number;
    };
  };
}
