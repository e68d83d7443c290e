import {
  DiscoveryService,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import fs from 'fs';
import path from 'path';
import {
  checkRepoName,
  localRepositoryPath,
  publishToLocalRepository,
} from '../publish/localRepository';
import { LOCAL_REPOSITORIES_PATH } from '../publish/router';
import { examples } from './publishLocal.examples';

/**
 * `readiness:publish:local`: publishes the workspace as a Git repository on
 * the backend's disk, for portals without a Git host (local trials,
 * air-gapped demos). Returns the URLs `catalog:register` and the readiness
 * engine read it from.
 *
 * @public
 */
export function createPublishLocalAction(options: {
  /** The folder that holds the local repositories. */
  root: string;
  discovery: DiscoveryService;
}) {
  return createTemplateAction({
    id: 'readiness:publish:local',
    description:
      'Publishes the workspace as a new Git repository in the local publish folder (readiness.scaffolder.localPublishRoot), served read-only to the catalog. For local portals; use publish:github or another publisher for real installs.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        repoName: z => z.string().describe('Folder name of the new repository'),
        sourcePath: z =>
          z
            .string()
            .optional()
            .describe(
              'Folder of the workspace to publish (default: all of it)',
            ),
        defaultBranch: z =>
          z.string().optional().describe('Default branch (default main)'),
        gitCommitMessage: z =>
          z.string().optional().describe('Message of the first commit'),
        gitAuthorName: z =>
          z.string().optional().describe('Author of the first commit'),
        gitAuthorEmail: z =>
          z.string().optional().describe('E-mail of the author'),
        catalogInfoPath: z =>
          z
            .string()
            .optional()
            .describe(
              'The catalog file, relative to the repository (default catalog-info.yaml)',
            ),
      },
      output: {
        remoteUrl: z =>
          z.string().describe('file:// URL of the repository (a Git remote)'),
        repoContentsUrl: z =>
          z.string().describe('URL the repository files are served at'),
        catalogInfoUrl: z =>
          z.string().describe('URL of the catalog file, for catalog:register'),
        localPath: z =>
          z.string().describe('The repository folder on the backend'),
        commitHash: z => z.string().describe('The first commit'),
      },
    },
    async handler(ctx) {
      const repoName = checkRepoName(ctx.input.repoName);
      const catalogInfoPath = (
        ctx.input.catalogInfoPath ?? 'catalog-info.yaml'
      ).replace(/^\/+/, '');
      const repoPath = localRepositoryPath(options.root, repoName);
      const baseUrl = await options.discovery.getBaseUrl('scaffolder');
      const repoContentsUrl = `${baseUrl}${LOCAL_REPOSITORIES_PATH}/${repoName}/`;
      const catalogInfoUrl = new URL(
        catalogInfoPath,
        repoContentsUrl,
      ).toString();
      const sourceDir = resolveSafeChildPath(
        ctx.workspacePath,
        ctx.input.sourcePath ?? '.',
      );

      let remoteUrl = `file://${repoPath}`;
      let commitHash = 'dry-run';
      if (ctx.isDryRun) {
        // Check what a real run would refuse, then stop short of writing.
        if (fs.existsSync(repoPath)) {
          ctx.logger.warn(
            `A repository named ${repoName} already exists; a real run would fail`,
          );
        }
        ctx.logger.info(`Dry run: would publish ${sourceDir} to ${repoPath}`);
      } else {
        const published = await ctx.checkpoint({
          key: `readiness.publish.local.${repoName}`,
          fn: async () => {
            const result = await publishToLocalRepository({
              root: options.root,
              repoName,
              sourceDir,
              defaultBranch: ctx.input.defaultBranch ?? 'main',
              message: ctx.input.gitCommitMessage ?? 'Initial commit',
              author: {
                name: ctx.input.gitAuthorName ?? 'Scaffolder',
                email: ctx.input.gitAuthorEmail ?? 'scaffolder@backstage.io',
              },
              catalogInfoPath,
            });
            return {
              remoteUrl: result.remoteUrl,
              commitHash: result.commitHash,
            };
          },
        });
        remoteUrl = published.remoteUrl;
        commitHash = published.commitHash;
        ctx.logger.info(
          `Published ${
            path.relative(ctx.workspacePath, sourceDir) || 'the workspace'
          } to ${repoPath} (${commitHash.slice(0, 7)})`,
        );
      }
      ctx.output('remoteUrl', remoteUrl);
      ctx.output('repoContentsUrl', repoContentsUrl);
      ctx.output('catalogInfoUrl', catalogInfoUrl);
      ctx.output('localPath', repoPath);
      ctx.output('commitHash', commitHash);
    },
  });
}
