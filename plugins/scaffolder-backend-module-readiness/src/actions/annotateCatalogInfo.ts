import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import fs from 'fs';
import {
  TEMPLATE_VERSION_ANNOTATION,
  annotateCatalogInfo,
} from '../annotate/annotateCatalogInfo';
import { examples } from './annotateCatalogInfo.examples';

/**
 * `readiness:catalog:annotate`: adds the SLA/DR annotations and
 * `backstage.io/template-version` to the generated `catalog-info.yaml`.
 *
 * @public
 */
export function createAnnotateCatalogInfoAction(options: {
  /** The portal's base URL, for `techdocs:<page>` values. */
  appBaseUrl?: string;
}) {
  return createTemplateAction({
    id: 'readiness:catalog:annotate',
    description:
      "Adds the SLA/DR annotations (prodready.dev/*, validated with the readiness parsers) and backstage.io/template-version to the Component in the workspace's catalog-info.yaml. A value 'techdocs:<page>' becomes the URL of that TechDocs page.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        annotations: z =>
          z
            .record(z.union([z.string(), z.number()]))
            .describe('prodready.dev/* annotations; empty values are skipped'),
        templateVersion: z =>
          z
            .string()
            .optional()
            .describe(
              "Semantic version of the template; default: the Template's backstage.io/template-version annotation",
            ),
        filePath: z =>
          z
            .string()
            .optional()
            .describe(
              'The catalog file in the workspace (default catalog-info.yaml)',
            ),
      },
      output: {
        entityRef: z => z.string().describe('The annotated entity'),
        annotations: z =>
          z.record(z.string()).describe('The annotations written'),
      },
    },
    async handler(ctx) {
      const filePath = ctx.input.filePath ?? 'catalog-info.yaml';
      const templateVersion =
        ctx.input.templateVersion ??
        ctx.templateInfo?.entity?.metadata.annotations?.[
          TEMPLATE_VERSION_ANNOTATION
        ];
      if (!templateVersion) {
        throw new InputError(
          `templateVersion is required: pass it, or annotate the Template with ${TEMPLATE_VERSION_ANNOTATION}`,
        );
      }
      const file = resolveSafeChildPath(ctx.workspacePath, filePath);
      let text: string;
      try {
        text = await fs.promises.readFile(file, 'utf8');
      } catch {
        throw new InputError(
          `filePath: ${filePath} does not exist in the workspace`,
        );
      }
      const result = annotateCatalogInfo(text, {
        annotations: ctx.input.annotations ?? {},
        templateVersion,
        appBaseUrl: options.appBaseUrl,
      });
      await fs.promises.writeFile(file, result.content);
      ctx.logger.info(
        `Annotated ${result.entityRef} in ${filePath}: ${Object.keys(
          result.annotations,
        ).join(', ')}`,
      );
      ctx.output('entityRef', result.entityRef);
      ctx.output('annotations', result.annotations);
    },
  });
}
