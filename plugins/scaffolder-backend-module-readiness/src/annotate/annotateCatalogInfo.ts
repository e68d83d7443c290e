import { InputError } from '@backstage/errors';
import {
  READINESS_ANNOTATION_PREFIX,
  parseReadinessAnnotations,
} from '@prodready/plugin-readiness-common';
import { parseAllDocuments } from 'yaml';
import { stringifyDocuments } from '@prodready/plugin-readiness-engine';

/** The annotation that records which version of the template made the entity. */
export const TEMPLATE_VERSION_ANNOTATION = 'backstage.io/template-version';

/** A value that is resolved to a TechDocs page of the entity, such as `techdocs:runbook`. */
const TECHDOCS_PREFIX = 'techdocs:';

const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const TECHDOCS_PAGE = /^[a-z0-9][a-z0-9._/-]*$/;

/** Options of {@link annotateCatalogInfo}. */
export interface AnnotateCatalogInfoOptions {
  /**
   * `prodready.dev/*` annotations to set. Numbers are written as strings;
   * empty values are skipped. A value `techdocs:<page>` becomes the URL of
   * that TechDocs page of the entity (needs `appBaseUrl`).
   */
  annotations: Record<string, unknown>;
  /** Written as `backstage.io/template-version`. */
  templateVersion: string;
  /** The portal's base URL (`app.baseUrl`), for `techdocs:` values. */
  appBaseUrl?: string;
  /** Validation time (for dates such as `dr-last-tested`). */
  now?: Date;
}

/** The result of {@link annotateCatalogInfo}. */
export interface AnnotatedCatalogInfo {
  content: string;
  entityRef: string;
  /** The annotations written, including the template version. */
  annotations: Record<string, string>;
}

function asText(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') {
    return undefined;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return typeof value === 'string' ? value.trim() : undefined;
}

/**
 * Adds the SLA/DR annotations (the `prodready.dev/` vocabulary, validated
 * with the shared parsers) and `backstage.io/template-version` to the
 * Component in a `catalog-info.yaml`, keeping its comments and layout.
 * Throws an `InputError` naming the annotation and the rule, and changes
 * nothing, when a value is bad.
 */
export function annotateCatalogInfo(
  text: string,
  options: AnnotateCatalogInfoOptions,
): AnnotatedCatalogInfo {
  const documents = parseAllDocuments(text);
  const broken = documents.find(d => d.errors.length > 0);
  if (broken) {
    throw new InputError(
      `catalog-info.yaml is not valid YAML: ${broken.errors[0].message}`,
    );
  }
  const document = documents.find(d => d.get('kind') === 'Component');
  const name = document?.getIn(['metadata', 'name']);
  if (!document || typeof name !== 'string') {
    throw new InputError(
      'catalog-info.yaml has no Component with a metadata.name to annotate',
    );
  }
  const namespace = String(
    document.getIn(['metadata', 'namespace']) ?? 'default',
  );

  if (!SEMVER.test(options.templateVersion ?? '')) {
    throw new InputError(
      `templateVersion must be a semantic version such as '1.2.0', got '${String(
        options.templateVersion,
      )}'`,
    );
  }

  const problems: string[] = [];
  const values: Record<string, string> = {};
  for (const [key, raw] of Object.entries(options.annotations ?? {})) {
    if (!key.startsWith(READINESS_ANNOTATION_PREFIX)) {
      problems.push(
        `${key} is not a readiness annotation; only ${READINESS_ANNOTATION_PREFIX}* annotations are set by this action`,
      );
      continue;
    }
    let value = asText(raw);
    if (value === undefined) {
      if (raw !== undefined && raw !== null && raw !== '') {
        problems.push(
          `${key} must be a string or a number, got ${JSON.stringify(raw)}`,
        );
      }
      continue;
    }
    if (value.startsWith(TECHDOCS_PREFIX)) {
      const page = value.slice(TECHDOCS_PREFIX.length).replace(/^\/+/, '');
      if (!options.appBaseUrl) {
        problems.push(`${key}: '${value}' needs app.baseUrl to be configured`);
        continue;
      }
      if (page !== '' && !TECHDOCS_PAGE.test(page)) {
        problems.push(
          `${key}: '${value}' must name a TechDocs page such as 'techdocs:runbook'`,
        );
        continue;
      }
      value = `${options.appBaseUrl.replace(
        /\/+$/,
        '',
      )}/docs/${namespace}/component/${name}/${
        page ? `${page.replace(/\/?$/, '/')}` : ''
      }`;
    }
    values[key] = value;
  }
  // The shared parsers: unknown names get a "did you mean", bad values the expected form.
  const parsed = parseReadinessAnnotations(values, { now: options.now });
  problems.push(...parsed.errors.map(e => e.message));
  if (problems.length > 0) {
    throw new InputError(problems.join('; '));
  }

  const written = {
    ...values,
    [TEMPLATE_VERSION_ANNOTATION]: options.templateVersion,
  };
  for (const [key, value] of Object.entries(written)) {
    document.setIn(['metadata', 'annotations', key], value);
  }
  return {
    content: stringifyDocuments(documents),
    entityRef: `component:${namespace}/${name}`,
    annotations: written,
  };
}
