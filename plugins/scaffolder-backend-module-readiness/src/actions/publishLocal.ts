import {
  DiscoveryService,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import fs from 'fs';
import path from 'path';
import {
  checkBranchName,
  checkRepoName,
  commitToLocalBranch,
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
 * In branch mode (`branch` set, or `mode: branch`) it commits the
 * workspace's changes onto a new branch of an existing local repository
 * instead, the offline stand-in for a pull request: the repository's
 * checked-out branch and working tree are not touched.
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
      'Publishes the workspace as a new Git repository in the local publish folder (readiness.scaffolder.localPublishRoot), served read-only to the catalog; or, in branch mode, commits the changes of the workspace (a checkout of an existing local repository) onto a new branch of that repository, leaving its working tree untouched: the offline stand-in for a pull request. For local portals; use publish:github, publish:github:pull-request or another publisher for real installs.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        repoName: z =>
          z
            .string()
            .describe(
              'Folder name of the new repository (branch mode: of the existing repository)',
            ),
        mode: z =>
          z
            .enum(['repository', 'branch'])
            .optional()
            .describe(
              "'repository' publishes a new repository; 'branch' commits onto a new branch of an existing one. Default 'branch' when branch is set, else 'repository'",
            ),
        branch: z =>
          z
            .string()
            .optional()
            .describe(
              'Branch mode: the new branch (default readiness/fix-<YYYY-MM-DD>, with -2, -3… when taken). An existing branch is a conflict, never overwritten',
            ),
        baseBranch: z =>
          z
            .string()
            .optional()
            .describe(
              "Branch mode: the branch to start from (default the repository's current branch)",
            ),
        expectedBaseCommit: z =>
          z
            .string()
            .optional()
            .describe(
              'Branch mode: the commit the workspace was fetched at; if the base branch has moved since, the action fails with a conflict and writes nothing',
            ),
        description: z =>
          z
            .string()
            .optional()
            .describe(
              'Branch mode: the body of the commit message (e.g. the pull-request description)',
            ),
        paths: z =>
          z
            .array(z.string())
            .optional()
            .describe(
              'Branch mode: only these files of the source folder are committed (one missing from it is deleted); default every file that differs from the base',
            ),
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
          z
            .string()
            .optional()
            .describe(
              'Message of the first commit (branch mode: first line of the commit message)',
            ),
        gitAuthorName: z =>
          z.string().optional().describe('Author of the commit'),
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
          z
            .string()
            .optional()
            .describe(
              'URL of the catalog file, for catalog:register (not in branch mode)',
            ),
        localPath: z =>
          z.string().describe('The repository folder on the backend'),
        commitHash: z =>
          z
            .string()
            .describe(
              'The first commit (branch mode: the commit of the branch)',
            ),
        branch: z =>
          z.string().optional().describe('Branch mode: the new branch'),
        baseBranch: z =>
          z
            .string()
            .optional()
            .describe('Branch mode: the branch it starts from'),
        baseCommit: z =>
          z
            .string()
            .optional()
            .describe('Branch mode: the commit it starts from'),
        diff: z =>
          z
            .string()
            .optional()
            .describe(
              'Branch mode: unified diff of the branch against its base',
            ),
        changedFiles: z =>
          z
            .array(z.string())
            .optional()
            .describe(
              'Branch mode: the files the branch creates or changes, from the repository root',
            ),
        compareUrl: z =>
          z
            .string()
            .optional()
            .describe(
              'Branch mode: URL of the served diff of the branch against its base commit',
            ),
        branchUrl: z =>
          z
            .string()
            .optional()
            .describe(
              "Branch mode: URL the branch's files are served at (and read by the URL reader)",
            ),
      },
    },
    async handler(ctx) {
      if (ctx.input.branch !== undefined || ctx.input.mode === 'branch') {
        if (!ctx.input.repoName) {
          throw new InputError(
            'repoName is empty: the repository to branch is not a local repository of this portal (readiness.scaffolder.localPublishRoot); publish the changes with publish:github:pull-request, publish:gitlab:merge-request or publish:bitbucketServer:pull-request instead',
          );
        }
      }
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
      const author = {
        name: ctx.input.gitAuthorName ?? 'Scaffolder',
        email: ctx.input.gitAuthorEmail ?? 'scaffolder@backstage.io',
      };

      const mode =
        ctx.input.mode ??
        (ctx.input.branch !== undefined ? 'branch' : 'repository');
      if (mode === 'branch') {
        const branchOptions = {
          root: options.root,
          repoName,
          sourceDir,
          branch:
            ctx.input.branch !== undefined
              ? checkBranchName(ctx.input.branch)
              : undefined,
          baseBranch: ctx.input.baseBranch,
          expectedBaseCommit: ctx.input.expectedBaseCommit,
          author,
          message: ctx.input.gitCommitMessage ?? 'Changes from the scaffolder',
          description: ctx.input.description,
          paths: ctx.input.paths,
        };
        let result: {
          branch: string;
          baseBranch: string;
          baseCommit: string;
          commitHash: string;
          changedFiles: string[];
          diff: string;
        };
        if (ctx.isDryRun && !fs.existsSync(repoPath)) {
          ctx.logger.warn(
            `There is no local repository named ${repoName}; a real run would fail`,
          );
          result = {
            branch: ctx.input.branch ?? 'readiness/fix-dry-run',
            baseBranch: ctx.input.baseBranch ?? 'main',
            baseCommit: 'dry-run',
            commitHash: 'dry-run',
            changedFiles: [],
            diff: '',
          };
        } else {
          result = await ctx.checkpoint({
            key: `readiness.publish.local.branch.${repoName}.${
              ctx.input.branch ?? ''
            }`,
            fn: async () => {
              const committed = await commitToLocalBranch({
                ...branchOptions,
                dryRun: ctx.isDryRun,
              });
              return {
                branch: committed.branch,
                baseBranch: committed.baseBranch,
                baseCommit: committed.baseCommit,
                commitHash: committed.commitHash ?? 'dry-run',
                changedFiles: committed.changedFiles.map(f => f.path),
                diff: committed.diff,
              };
            },
          });
          ctx.logger.info(
            `${ctx.isDryRun ? 'Dry run: would commit' : 'Committed'} ${
              result.changedFiles.length
            } changed file(s) to the new branch ${
              result.branch
            } of ${repoPath}${
              ctx.isDryRun ? '' : ` (${result.commitHash.slice(0, 7)})`
            }, based on ${result.baseBranch} at ${result.baseCommit.slice(
              0,
              7,
            )}; the working tree is unchanged`,
          );
        }
        ctx.output('remoteUrl', `file://${repoPath}`);
        ctx.output('repoContentsUrl', repoContentsUrl);
        ctx.output('localPath', repoPath);
        ctx.output('commitHash', result.commitHash);
        ctx.output('branch', result.branch);
        ctx.output('baseBranch', result.baseBranch);
        ctx.output('baseCommit', result.baseCommit);
        ctx.output('diff', result.diff);
        ctx.output('changedFiles', result.changedFiles);
        ctx.output(
          'compareUrl',
          `${repoContentsUrl}-/compare/${result.baseCommit}...${result.branch}`,
        );
        ctx.output('branchUrl', `${repoContentsUrl}-/tree/${result.branch}/`);
        return;
      }

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
              author,
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
