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
      /**
       * A folder (absolute, or relative to the backend's working directory)
       * whose subfolders become local repositories at start-up: each one
       * that has no repository under localPublishRoot yet is published as
       * one (a single commit on `main`), so that templates such as
       * fix-readiness can branch them. Existing repositories are left
       * alone. Unset: nothing is seeded.
       */
      seedLocalRepositories?: string;
    };
  };
}
