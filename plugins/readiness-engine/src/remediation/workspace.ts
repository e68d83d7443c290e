import { posix } from 'path';
import {
  Document,
  isMap,
  isScalar,
  isSeq,
  parseAllDocuments,
  YAMLMap,
  YAMLSeq,
} from 'yaml';
import type { DeploymentFileInput } from '../facts/deployment';

/**
 * Writes parsed YAML documents back as one multi-document file, keeping the
 * comments, the order of keys and the style of everything not edited.
 *
 * @public
 */
export function stringifyDocuments(documents: ReadonlyArray<Document>): string {
  return documents
    .map((document, i) => {
      const text = document.toString({ lineWidth: 0 });
      return i > 0 && !text.startsWith('---') ? `---\n${text}` : text;
    })
    .join('');
}

/** One Kubernetes object of the workspace: where it is and its document. */
export interface WorkspaceObject {
  path: string;
  /** 0-based index of the document in its file. */
  index: number;
  document: Document;
  kind: string;
  apiVersion: string;
  name: string | null;
}

interface WorkspaceFile {
  /** The file as read; null for a file the patch creates. */
  original: string | null;
  /** Parsed documents; null when the file does not parse (it is never edited). */
  documents: Document[] | null;
  /** Documents changed (or the file created). */
  dirty: boolean;
  /** The text of the dirty documents, until they are touched again. */
  text?: string;
}

function asString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/**
 * The deployment files of a service as editable YAML documents (the `yaml`
 * document API: an edit keeps the comments and order of the user's YAML), plus
 * the files a patch creates. Files that do not parse are kept as they are and
 * are never edited.
 */
export class PatchWorkspace {
  private readonly files = new Map<string, WorkspaceFile>();

  static fromFiles(files: ReadonlyArray<DeploymentFileInput>): PatchWorkspace {
    const workspace = new PatchWorkspace();
    for (const file of files) {
      workspace.files.set(file.path, {
        original: file.content,
        documents: PatchWorkspace.parse(file.path, file.content),
        dirty: false,
      });
    }
    return workspace;
  }

  private static parse(path: string, content: string): Document[] | null {
    if (!/\.ya?ml$/i.test(path)) {
      return null;
    }
    const documents = parseAllDocuments(content);
    if (!Array.isArray(documents) || documents.some(d => d.errors.length)) {
      return null;
    }
    return documents;
  }

  /** A copy with the same current content, edits included. */
  clone(): PatchWorkspace {
    const copy = new PatchWorkspace();
    for (const [path, file] of this.files) {
      copy.files.set(path, {
        original: file.original,
        documents: file.documents?.map(document => document.clone()) ?? null,
        dirty: file.dirty,
        ...(file.text !== undefined ? { text: file.text } : {}),
      });
    }
    return copy;
  }

  /** Every Kubernetes object (a document with a `kind`), in file order. */
  objects(): WorkspaceObject[] {
    const objects: WorkspaceObject[] = [];
    for (const [path, file] of [...this.files].sort(([a], [b]) =>
      a < b ? -1 : 1,
    )) {
      file.documents?.forEach((document, index) => {
        const kind = asString(document.get('kind'));
        if (kind) {
          objects.push({
            path,
            index,
            document,
            kind,
            apiVersion: asString(document.get('apiVersion')) ?? '',
            name: asString(document.getIn(['metadata', 'name'])),
          });
        }
      });
    }
    return objects;
  }

  /** The first object of a kind (and name, when given); a path narrows it to one file. */
  find(
    kind: string,
    name?: string | null,
    path?: string,
  ): WorkspaceObject | undefined {
    return this.objects().find(
      o =>
        o.kind === kind &&
        (name === undefined || name === null || o.name === name) &&
        (path === undefined || o.path === path),
    );
  }

  /** Whether a file of this path exists (read or created). */
  has(path: string): boolean {
    return this.files.has(path);
  }

  /** The documents of a file, or undefined when it does not parse or does not exist. */
  documentsOf(path: string): Document[] | undefined {
    return this.files.get(path)?.documents ?? undefined;
  }

  /** Records that a document of the file was edited. */
  touch(path: string): void {
    const file = this.files.get(path);
    if (file) {
      file.dirty = true;
      file.text = undefined;
    }
  }

  /**
   * Creates a file holding the objects (one document each) in the folder of
   * `near` (or at the root). Returns its path: `name` itself, or with a
   * numeric suffix when a file of that name exists.
   */
  createFile(
    name: string,
    objects: ReadonlyArray<object>,
    near?: string,
  ): string {
    const dir = near ? posix.dirname(near) : '.';
    const base = name.replace(/\.ya?ml$/i, '');
    let path = dir === '.' ? name : `${dir}/${name}`;
    for (let n = 2; this.files.has(path); n++) {
      path = dir === '.' ? `${base}-${n}.yaml` : `${dir}/${base}-${n}.yaml`;
    }
    this.files.set(path, {
      original: null,
      documents: objects.map(object => new Document(object)),
      dirty: true,
    });
    return path;
  }

  /** The current text of a file. */
  contentOf(path: string): string | undefined {
    const file = this.files.get(path);
    if (!file) {
      return undefined;
    }
    if (!file.dirty || !file.documents) {
      return file.original ?? '';
    }
    file.text ??= stringifyDocuments(file.documents);
    return file.text;
  }

  /** The files as the deployment-facts parser reads them. */
  toFiles(): DeploymentFileInput[] {
    return [...this.files.keys()]
      .sort()
      .map(path => ({ path, content: this.contentOf(path)! }));
  }

  /** The files whose text differs from what was read, with before and after. */
  changedFiles(): Array<{
    path: string;
    before: string | null;
    after: string;
  }> {
    const changed = [];
    for (const [path, file] of [...this.files].sort(([a], [b]) =>
      a < b ? -1 : 1,
    )) {
      const after = this.contentOf(path)!;
      if (file.original === null || after !== file.original) {
        changed.push({ path, before: file.original, after });
      }
    }
    return changed;
  }
}

/** The YAML map at a path of a document, created (as a block map) when missing. */
export function ensureMap(
  document: Document,
  path: ReadonlyArray<string | number>,
): YAMLMap {
  const existing = document.getIn(path, true);
  if (isMap(existing)) {
    return existing;
  }
  const map = new YAMLMap();
  document.setIn(path, map);
  return map;
}

/** The YAML sequence at a path of a document, created when missing. */
export function ensureSeq(
  document: Document,
  path: ReadonlyArray<string | number>,
): YAMLSeq {
  const existing = document.getIn(path, true);
  if (isSeq(existing)) {
    return existing;
  }
  const seq = new YAMLSeq();
  document.setIn(path, seq);
  return seq;
}

/** Sets a value at a path, as a YAML node built from plain data. */
export function setValue(
  document: Document,
  path: ReadonlyArray<string | number>,
  value: unknown,
): void {
  const parent = path.slice(0, -1);
  if (parent.length > 0) {
    ensureMap(document, parent);
  }
  const node = document.getIn(path, true);
  if (isScalar(node) && (value === null || typeof value !== 'object')) {
    node.value = value;
    return;
  }
  document.setIn(path, document.createNode(value));
}

/** The plain value at a path (numbers, strings, maps as objects). */
export function getValue(
  document: Document,
  path: ReadonlyArray<string | number>,
): unknown {
  const node = document.getIn(path, true);
  if (node === undefined || node === null) {
    return undefined;
  }
  return isScalar(node) ? node.value : (node as { toJSON(): unknown }).toJSON();
}
