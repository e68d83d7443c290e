import { posix } from 'path';
import { parseAllDocuments } from 'yaml';
import type {
  DeploymentFactsError,
  DeploymentFactsNote,
  DeploymentFileInput,
} from './types';
import { asArray, asRecord, asString, UnknownRecord } from './util';

/** One Kubernetes object found in the files. */
export type ManifestObject = {
  object: UnknownRecord;
  kind: string;
  apiVersion: string | null;
  name: string | null;
  namespace: string | null;
  path: string;
  /** 1-based document index in the file. */
  document: number;
};

export type HelmValuesFile = { path: string; values: UnknownRecord };

/** Collects errors and notes as plain JSON objects. */
export class Problems {
  readonly errors: DeploymentFactsError[] = [];
  readonly notes: DeploymentFactsNote[] = [];

  error(
    path: string,
    document: number | null,
    message: string,
    line: number | null = null,
  ) {
    this.errors.push({ path, document, line, message });
  }

  note(path: string, message: string) {
    this.notes.push({ path, message });
  }
}

export type ReadFilesResult = {
  files: string[];
  objects: ManifestObject[];
  helmValues: HelmValuesFile[];
  /** Chart name per chart directory, from Chart.yaml. */
  chartNames: Record<string, string>;
};

const DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024;
const YAML_FILE = /\.ya?ml$/i;
const VALUES_FILE = /^values(?:[.-][^/]+)?\.ya?ml$/i;
const KUSTOMIZATION_FILE = /^kustomization\.ya?ml$/i;
const CHART_FILE = /^Chart\.ya?ml$/;
const HELM_METADATA_FILE = /^(Chart\.lock|requirements\.ya?ml)$/i;

function comparePaths(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function normalisePath(path: string): string {
  const normalised = posix.normalize(path.replace(/\\/g, '/'));
  return normalised.replace(/^(\.\/)+/, '').replace(/^\/+/, '');
}

function isHelmTemplate(path: string, content: string): boolean {
  if (!content.includes('{{')) {
    return false;
  }
  return (
    path.split('/').includes('templates') ||
    /\{\{-?\s*(\.Values|\.Release|\.Chart|include\s|template\s|toYaml)/.test(
      content,
    )
  );
}

type ParsedDocument = { index: number; value: unknown };

/** Parses every document of a YAML file; syntax errors go to `problems`, never thrown. */
function parseYamlDocuments(
  path: string,
  content: string,
  problems: Problems,
): ParsedDocument[] {
  const result: ParsedDocument[] = [];
  let documents;
  try {
    documents = parseAllDocuments(content, {
      merge: true,
      prettyErrors: true,
    });
  } catch (error) {
    problems.error(path, null, `invalid YAML: ${String(error)}`);
    return result;
  }
  documents.forEach((document, i) => {
    const index = i + 1;
    if (document.errors.length > 0) {
      // The first error is the cause; the others usually follow from it.
      const [first, ...rest] = document.errors;
      const line = first.linePos?.[0]?.line ?? null;
      const more = rest.length > 0 ? ` (and ${rest.length} more)` : '';
      problems.error(
        path,
        index,
        `invalid YAML: ${first.message.split('\n')[0]}${more}`,
        line,
      );
      return;
    }
    try {
      result.push({ index, value: document.toJS({ maxAliasCount: 100 }) });
    } catch (error) {
      problems.error(
        path,
        index,
        `invalid YAML: ${error instanceof Error ? error.message : error}`,
      );
    }
  });
  return result;
}

function looksLikeManifest(record: UnknownRecord): boolean {
  return (
    'kind' in record ||
    'apiVersion' in record ||
    ('metadata' in record && 'spec' in record)
  );
}

function toManifestObject(
  record: UnknownRecord,
  kind: string,
  path: string,
  document: number,
): ManifestObject {
  const metadata = asRecord(record.metadata);
  return {
    object: record,
    kind,
    apiVersion: asString(record.apiVersion),
    name: asString(metadata?.name),
    namespace: asString(metadata?.namespace),
    path,
    document,
  };
}

/** Paths of patch files named by a kustomization, resolved against its folder. */
function kustomizePatchPaths(path: string, value: unknown): string[] {
  const record = asRecord(value);
  if (!record) {
    return [];
  }
  const dir = posix.dirname(path);
  const entries = [
    ...asArray(record.patchesStrategicMerge),
    ...asArray(record.patches),
    ...asArray(record.patchesJson6902),
  ];
  return entries.flatMap(entry => {
    const file = typeof entry === 'string' ? entry : asRecord(entry)?.path;
    return typeof file === 'string' && YAML_FILE.test(file)
      ? [normalisePath(posix.join(dir, file))]
      : [];
  });
}

/**
 * Reads the YAML files: multi-document files, `List` kinds, Helm values and
 * chart metadata, Kustomize patches. Never throws.
 */
export function readDeploymentFiles(
  inputs: unknown,
  problems: Problems,
  maxFileSize: number = DEFAULT_MAX_FILE_SIZE,
): ReadFilesResult {
  const result: ReadFilesResult = {
    files: [],
    objects: [],
    helmValues: [],
    chartNames: {},
  };
  const files: DeploymentFileInput[] = [];
  asArray(inputs).forEach((input, i) => {
    const record = asRecord(input);
    if (
      !record ||
      typeof record.path !== 'string' ||
      typeof record.content !== 'string'
    ) {
      problems.error(
        `#${i}`,
        null,
        'not a file: expected { path: string, content: string }',
      );
      return;
    }
    const path = normalisePath(record.path);
    if (YAML_FILE.test(path)) {
      files.push({ path, content: record.content });
    }
  });
  files.sort((a, b) => comparePaths(a.path, b.path));

  const parsed: Array<{ path: string; documents: ParsedDocument[] }> = [];
  for (const { path, content } of files) {
    result.files.push(path);
    const base = posix.basename(path);
    if (content.length > maxFileSize) {
      problems.error(
        path,
        null,
        `file is too large (${content.length} characters, the limit is ${maxFileSize}); skipped`,
      );
      continue;
    }
    if (HELM_METADATA_FILE.test(base)) {
      problems.note(path, 'Helm chart metadata; ignored');
      continue;
    }
    if (isHelmTemplate(path, content)) {
      problems.note(
        path,
        'Helm template; charts are not rendered, their values.yaml is read instead',
      );
      continue;
    }
    parsed.push({
      path,
      documents: parseYamlDocuments(path, content, problems),
    });
  }

  const patches = new Set<string>();
  for (const { path, documents } of parsed) {
    if (KUSTOMIZATION_FILE.test(posix.basename(path))) {
      for (const document of documents) {
        kustomizePatchPaths(path, document.value).forEach(p => patches.add(p));
      }
    }
  }

  for (const { path, documents } of parsed) {
    const base = posix.basename(path);
    if (KUSTOMIZATION_FILE.test(base)) {
      problems.note(
        path,
        'Kustomize is not built; the resources it lists are read as plain manifests',
      );
      continue;
    }
    if (patches.has(path)) {
      problems.note(path, 'Kustomize patch; ignored');
      continue;
    }
    if (CHART_FILE.test(base)) {
      const name = asString(asRecord(documents[0]?.value)?.name);
      if (name) {
        result.chartNames[posix.dirname(path)] = name;
      }
      problems.note(path, 'Helm chart metadata; ignored');
      continue;
    }
    if (VALUES_FILE.test(base)) {
      const values = documents.find(d => d.value !== null)?.value;
      const record = asRecord(values);
      if (record) {
        result.helmValues.push({ path, values: record });
      } else if (values !== undefined) {
        problems.error(path, null, 'Helm values must be a mapping');
      }
      continue;
    }
    readManifestDocuments(path, documents, result.objects, problems);
  }
  return result;
}

function readManifestDocuments(
  path: string,
  documents: ParsedDocument[],
  objects: ManifestObject[],
  problems: Problems,
) {
  const nonEmpty = documents.filter(
    d => d.value !== null && d.value !== undefined,
  );
  const isManifestFile = nonEmpty.some(d => {
    const record = asRecord(d.value);
    return record !== undefined && looksLikeManifest(record);
  });
  if (!isManifestFile) {
    if (nonEmpty.length > 0) {
      problems.note(path, 'not a Kubernetes manifest (no kind); ignored');
    }
    return;
  }
  for (const { index, value } of nonEmpty) {
    const record = asRecord(value);
    if (!record) {
      problems.error(
        path,
        index,
        `document is not a mapping (found ${
          Array.isArray(value) ? 'a list' : typeof value
        })`,
      );
      continue;
    }
    const kind = asString(record.kind);
    if (!kind) {
      const name = asString(asRecord(record.metadata)?.name);
      problems.error(
        path,
        index,
        `document has no kind${name ? ` (metadata.name ${name})` : ''}`,
      );
      continue;
    }
    if (/List$/.test(kind) && Array.isArray(record.items)) {
      record.items.forEach((item, i) => {
        const itemRecord = asRecord(item);
        const itemKind = asString(itemRecord?.kind);
        if (!itemRecord || !itemKind) {
          problems.error(
            path,
            index,
            `item ${i + 1} of the ${kind} has no kind`,
          );
          return;
        }
        objects.push(toManifestObject(itemRecord, itemKind, path, index));
      });
      continue;
    }
    objects.push(toManifestObject(record, kind, path, index));
  }
}
