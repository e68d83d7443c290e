import {
  AuthService,
  DiscoveryService,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_SOURCE_LOCATION,
  Entity,
  getCompoundEntityRef,
  parseEntityRef,
  parseLocationRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { RemediationPlan } from '@prodready/plugin-readiness-common';
import {
  computeRemediation,
  createFsDeploymentFilesReader,
  parseDeploymentFiles,
  workloadNameOf,
} from '@prodready/plugin-readiness-engine';
import fs from 'fs';
import git from 'isomorphic-git';
import path from 'path';
import { unifiedFileDiff } from '../publish/diff';
import {
  localRepositoriesUrlPrefixes,
  localRepositorySegments,
} from '../publish/localRepositoryFiles';
import { locateDeploymentFolder } from '../remediation/locateDeploymentFolder';
import { fetchReadinessFacts } from '../remediation/readinessFacts';
import { examples } from './generateRemediation.examples';

/** The local repository (of `readiness:publish:local`) an entity's source is in, if any. */
function localRepositoryOf(
  entity: Entity,
  options: { root: string; scaffolderBaseUrls: string[] },
): string | null {
  const source = entity.metadata.annotations?.[ANNOTATION_SOURCE_LOCATION];
  if (!source) return null;
  try {
    const { type, target } = parseLocationRef(source);
    const url = new URL(type === 'file' ? `file://${target}` : target);
    const segments = localRepositorySegments(url, {
      root: options.root,
      prefixes: localRepositoriesUrlPrefixes(options.scaffolderBaseUrls),
    });
    return segments?.[0] || null;
  } catch {
    return null;
  }
}

/** Titles like "Fix 3 readiness checks of fraud-detection". */
function titleOf(plan: RemediationPlan, entity: Entity): string {
  const n = plan.fixes.length;
  return `Fix ${n} readiness check${n === 1 ? '' : 's'} of ${
    entity.metadata.name
  }`;
}

/**
 * `readiness:remediation:generate`: computes the patch that makes a
 * service's failing readiness checks pass (the readiness engine's
 * `computeRemediation`), from the service's own deployment files in the
 * workspace (a checkout of its repository, e.g. by `fetch:plain`) and its
 * facts as stored by the readiness backend, and writes the patched files
 * into the workspace, ready to be published as a pull request (or, offline,
 * a branch of a local repository).
 *
 * Fails, so that nothing is published, when the entity, its facts or its
 * deployment files cannot be read, when the manifests do not parse, and
 * when there is nothing to fix.
 *
 * @public
 */
export function createGenerateRemediationAction(options: {
  catalog: CatalogService;
  auth: AuthService;
  discovery: DiscoveryService;
  /** The folder of the local repositories (readiness.scaffolder.localPublishRoot). */
  localPublishRoot: string;
}) {
  const { catalog, auth, discovery, localPublishRoot } = options;
  return createTemplateAction({
    id: 'readiness:remediation:generate',
    description:
      "Computes the patch that makes a service's failing readiness checks pass (deployment, scaling, resilience, security, DR and monitoring checks of its manifests or Helm values), from its deployment files in the workspace and its facts in the readiness backend; re-scores it, and writes the patched files into the workspace. Fails when there is nothing to fix or the files cannot be read, so that nothing is published.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        entityRef: z =>
          z
            .string()
            .describe(
              'The service, e.g. component:default/fraud-detection (kind defaults to component, namespace to default)',
            ),
        sourcePath: z =>
          z
            .string()
            .optional()
            .describe(
              "The workspace folder holding the checkout of the service's repository (default '.')",
            ),
        deploymentPath: z =>
          z
            .string()
            .optional()
            .describe(
              'The deployment folder, relative to the repository; default: prodready.dev/deployment-path relative to the catalog file in the repository, else the first conventional folder (deploy, k8s, helm…)',
            ),
      },
      output: {
        fixCount: z => z.number().describe('How many checks the patch fixes'),
        fixes: z =>
          z
            .array(
              z.object({
                checkId: z.string(),
                title: z.string(),
                summary: z.string(),
              }),
            )
            .describe('The fixed checks, with what each fix does'),
        unfixable: z =>
          z
            .array(
              z.object({
                checkId: z.string(),
                title: z.string(),
                reason: z.string(),
              }),
            )
            .describe('Failing checks that get no fix, and why'),
        title: z =>
          z
            .string()
            .describe(
              'A pull-request title, e.g. "Fix 4 readiness checks of fraud-detection"',
            ),
        description: z =>
          z.string().describe('A pull-request description (Markdown)'),
        diff: z =>
          z
            .string()
            .describe(
              'Unified diff of the patch, paths from the repository root',
            ),
        changedFiles: z =>
          z
            .array(z.string())
            .describe('The files written, from the repository root'),
        deploymentPath: z =>
          z
            .string()
            .describe('The deployment folder, relative to the repository'),
        branchName: z =>
          z
            .string()
            .describe(
              'A branch name for the pull request: readiness/fix-<YYYY-MM-DD>',
            ),
        localRepository: z =>
          z
            .string()
            .optional()
            .describe(
              "When the service's source location is a local repository of this portal: its name, for readiness:publish:local",
            ),
        baseCommit: z =>
          z
            .string()
            .optional()
            .describe(
              'With localRepository: the commit its current branch was at, for expectedBaseCommit',
            ),
        error: z =>
          z.string().optional().describe('Why the action failed, if it did'),
      },
    },
    async handler(ctx) {
      // Failures are told in the task log and in the output, then thrown.
      const fail = (error: Error | string): Error => {
        const thrown =
          typeof error === 'string' ? new InputError(error) : error;
        ctx.logger.error(thrown.message);
        ctx.output('error', thrown.message);
        return thrown;
      };
      let compound;
      try {
        compound = parseEntityRef(ctx.input.entityRef, {
          defaultKind: 'component',
          defaultNamespace: 'default',
        });
      } catch (error) {
        throw fail(
          `entityRef: '${ctx.input.entityRef}' is not an entity ref: ${
            (error as Error).message
          }`,
        );
      }
      const credentials = await ctx.getInitiatorCredentials();
      const entity = await catalog.getEntityByRef(compound, { credentials });
      if (!entity) {
        throw fail(
          new NotFoundError(
            `entityRef: ${stringifyEntityRef(
              compound,
            )} is not in the catalog (or you may not read it)`,
          ),
        );
      }
      const entityRef = stringifyEntityRef(entity);

      let local: { localRepository: string; baseCommit: string } | undefined;
      // When the source is a local repository: which, and the commit its
      // branch is at now, close to when the workspace was fetched.
      const localRepository = localRepositoryOf(entity, {
        root: localPublishRoot,
        scaffolderBaseUrls: [
          await discovery.getBaseUrl('scaffolder'),
          await discovery.getExternalBaseUrl('scaffolder'),
        ],
      });
      if (localRepository) {
        const dir = path.join(localPublishRoot, localRepository);
        try {
          const branch = await git.currentBranch({ fs, dir });
          const baseCommit = await git.resolveRef({
            fs,
            dir,
            ref: branch ? `refs/heads/${branch}` : 'HEAD',
          });
          local = { localRepository, baseCommit };
        } catch (error) {
          ctx.logger.warn(
            `The local repository ${localRepository} could not be read: ${
              (error as Error).message
            }`,
          );
        }
      }

      // Where the deployment files are in the checkout.
      const repositoryDir = resolveSafeChildPath(
        ctx.workspacePath,
        ctx.input.sourcePath ?? '.',
      );
      if (!fs.existsSync(repositoryDir)) {
        throw fail(
          `sourcePath: ${
            ctx.input.sourcePath ?? '.'
          } does not exist in the workspace; fetch the repository of ${entityRef} first (fetch:plain)`,
        );
      }
      let located;
      try {
        located = locateDeploymentFolder(
          entity,
          repositoryDir,
          ctx.input.deploymentPath,
        );
      } catch (error) {
        throw fail(
          `The repository of ${entityRef} cannot be patched: ${
            (error as Error).message
          }`,
        );
      }
      for (const note of located.notes) {
        ctx.logger.info(`Note: ${note}`);
      }
      ctx.logger.info(
        `Deployment folder of ${entityRef}: ${located.relative || '.'}/ (${
          located.reason
        })`,
      );

      const prefix = located.relative ? `${located.relative}/` : '';

      // Its files, read the way the engine reads them.
      const read = await createFsDeploymentFilesReader().read({
        type: 'file',
        path: located.folder,
        root: repositoryDir,
        explicit: true,
      });
      if (read.status !== 'ok') {
        throw fail(
          `The deployment files of ${entityRef} cannot be read from ${
            located.relative || '.'
          }/: ${read.status === 'not-found' ? read.message : read.status}`,
        );
      }
      for (const skipped of read.skipped) {
        ctx.logger.warn(`Skipped ${skipped.path}: ${skipped.message}`);
      }
      const parsed = parseDeploymentFiles(read.files, {
        workloadName: workloadNameOf(entity),
      });
      const yamlErrors = parsed.errors.filter(e =>
        e.message.startsWith('invalid YAML'),
      );
      if (yamlErrors.length > 0) {
        throw fail(
          `The deployment files of ${entityRef} do not parse, so no patch is computed: ${yamlErrors
            .map(
              e =>
                `${prefix}${e.path}${e.line ? `:${e.line}` : ''}: ${e.message}`,
            )
            .join('; ')}. Fix them by hand first.`,
        );
      }
      if (parsed.source === 'none') {
        throw fail(
          `No Kubernetes manifests or Helm values were found in ${
            located.relative || '.'
          }/ of the repository of ${entityRef} (${
            located.reason
          }), so there is nothing to patch`,
        );
      }
      for (const note of parsed.notes) {
        ctx.logger.info(`${prefix}${note.path}: ${note.message}`);
      }

      // Its other facts (service levels…), as the readiness backend has them.
      let facts;
      try {
        facts = await fetchReadinessFacts({
          discovery,
          auth,
          credentials,
          entity: getCompoundEntityRef(entity),
        });
      } catch (error) {
        throw fail(error as Error);
      }
      for (const stale of facts.stale) {
        ctx.logger.warn(
          `The ${
            stale.collectorId
          } facts of ${entityRef} are stale (collected ${stale.collectedAt}${
            stale.error ? `; the last collection failed: ${stale.error}` : ''
          })`,
        );
      }

      const source = entity.metadata.annotations?.[ANNOTATION_SOURCE_LOCATION];
      let plan: RemediationPlan;
      try {
        plan = computeRemediation({
          entity,
          files: read.files,
          facts: facts.facts,
          deploymentTarget: source
            ? `${source.replace(/\/?$/, '/')}${
                located.relative ? `${located.relative}/` : ''
              }`
            : null,
        });
      } catch (error) {
        throw fail(
          `The patch of ${entityRef} could not be computed: ${
            (error as Error).message
          }`,
        );
      }
      for (const item of plan.unfixable) {
        ctx.logger.info(
          `Not fixed: ${item.title} (${item.checkId}): ${item.reason}`,
        );
      }
      if (plan.fixes.length === 0) {
        const n = plan.unfixable.length;
        throw fail(
          `Nothing to fix: ${
            n === 0
              ? `every remediable readiness check of ${entityRef} passes on the files of ${
                  located.relative || '.'
                }/`
              : `none of the ${n} failing check${
                  n === 1 ? '' : 's'
                } of ${entityRef} has an automatic fix (${plan.unfixable
                  .map(u => u.checkId)
                  .join(', ')}); the task log says why for each`
          }`,
        );
      }

      // The patched files, into the checkout.
      const changedFiles: string[] = [];
      const diffs: string[] = [];
      for (const file of plan.files) {
        const target = resolveSafeChildPath(located.folder, file.path);
        await fs.promises.mkdir(path.dirname(target), { recursive: true });
        await fs.promises.writeFile(target, file.after, 'utf8');
        changedFiles.push(`${prefix}${file.path}`);
        diffs.push(
          unifiedFileDiff(
            `${prefix}${file.path}`,
            file.before === null ? null : Buffer.from(file.before, 'utf8'),
            Buffer.from(file.after, 'utf8'),
          ),
        );
      }
      for (const fix of plan.fixes) {
        ctx.logger.info(`Fixed ${fix.title} (${fix.checkId}): ${fix.summary}`);
      }
      ctx.logger.info(
        `${ctx.isDryRun ? 'Dry run: wrote' : 'Wrote'} ${
          changedFiles.length
        } file(s) fixing ${
          plan.fixes.length
        } check(s) of ${entityRef}: ${changedFiles.join(', ')}`,
      );

      ctx.output('fixCount', plan.fixes.length);
      ctx.output(
        'fixes',
        plan.fixes.map(f => ({
          checkId: f.checkId,
          title: f.title,
          summary: f.summary,
        })),
      );
      ctx.output(
        'unfixable',
        plan.unfixable.map(u => ({
          checkId: u.checkId,
          title: u.title,
          reason: u.reason,
        })),
      );
      ctx.output('title', titleOf(plan, entity));
      ctx.output('description', plan.description);
      ctx.output('diff', diffs.join(''));
      ctx.output('changedFiles', changedFiles);
      ctx.output('deploymentPath', located.relative || '.');
      ctx.output(
        'branchName',
        `readiness/fix-${new Date().toISOString().slice(0, 10)}`,
      );
      if (local) {
        ctx.output('localRepository', local.localRepository);
        ctx.output('baseCommit', local.baseCommit);
      }
    },
  });
}
