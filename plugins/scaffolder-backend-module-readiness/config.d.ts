export interface Config {
  readiness?: {
    /** Settings of the readiness scaffolder actions. */
    scaffolder?: {
      /**
       * Folder where `readiness:publish:local` creates Git repositories,
       * absolute or relative to the backend's working directory.
       * Default: `.local-repos`.
       */
      localPublishRoot?: string;
      /**
       * Whether the scaffolder serves the files of the local repositories
       * read-only (and without credentials, as the catalog's URL reader
       * sends none) at `/api/scaffolder/readiness/local-repos/`, so that
       * `catalog:register` can register them. Default: true.
       */
      serveLocalRepositories?: boolean;
    };
  };
}
