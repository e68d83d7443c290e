import {
  DiscoveryService,
  UrlReaderService,
  UrlReaderServiceReadTreeOptions,
  UrlReaderServiceReadTreeResponse,
  UrlReaderServiceReadUrlOptions,
  UrlReaderServiceReadUrlResponse,
  UrlReaderServiceSearchOptions,
  UrlReaderServiceSearchResponse,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  ReadTreeResponseFactory,
  ReaderFactory,
  urlReaderFactoriesServiceRef,
} from '@backstage/backend-defaults/urlReader';
import { NotFoundError, NotModifiedError } from '@backstage/errors';
import path from 'path';
import { Readable } from 'stream';
import { resolveLocalPublishRoot } from '../config';
import {
  LocalRepositoryAddress,
  LocalRepositoryFiles,
  localRepositoriesUrlPrefixes,
  localRepositorySegments,
} from './localRepositoryFiles';

type FilesAddress = Extract<LocalRepositoryAddress, { kind: 'files' }>;

const GLOB = /[*?[\]{}]/;

/**
 * Reads the local repositories of `readiness:publish:local` by URL, from
 * disk, without a Git host and without going through HTTP:
 *
 * - `<scaffolder base URL>/readiness/local-repos/<repo>/<path>`: the
 *   working tree (what the scaffolder serves at that URL);
 * - `…/local-repos/<repo>/-/tree/<ref>/<path>`, or `?ref=<ref>`: the tree of
 *   a branch, tag or commit, read from Git objects;
 * - `file:` URLs inside the root (the `backstage.io/source-location` that
 *   `readiness:publish:local` writes), with an optional `?ref=`.
 *
 * So `fetch:plain` can fetch a local repository (or one branch of it), and
 * the readiness engine can read deployment files of a branch. `readTree`
 * leaves out `.git` only; `readUrl` refuses paths through `.git`.
 *
 * @public
 */
export class LocalRepositoriesUrlReader implements UrlReaderService {
  readonly #files: LocalRepositoryFiles;
  readonly #baseUrls: string[];
  readonly #treeResponseFactory: ReadTreeResponseFactory;

  /**
   * A reader factory for `urlReaderFactoriesServiceRef`: the root comes
   * from `readiness.scaffolder.localPublishRoot`, the URLs from the
   * scaffolder's base URLs.
   */
  static factory(options: { baseUrls: string[] }): ReaderFactory {
    return ({ config, treeResponseFactory }) => {
      const reader = new LocalRepositoriesUrlReader({
        root: resolveLocalPublishRoot(config),
        baseUrls: options.baseUrls,
        treeResponseFactory,
      });
      return [{ reader, predicate: url => reader.handles(url) }];
    };
  }

  constructor(options: {
    root: string;
    /** Base URLs of the scaffolder, e.g. `http://localhost:7007/api/scaffolder`. */
    baseUrls: string[];
    treeResponseFactory: ReadTreeResponseFactory;
  }) {
    this.#files = new LocalRepositoryFiles({
      root: options.root,
      allowDotFiles: true,
    });
    this.#baseUrls = localRepositoriesUrlPrefixes(options.baseUrls);
    this.#treeResponseFactory = options.treeResponseFactory;
  }

  /** Whether a URL addresses a local repository of this reader. */
  handles(url: URL): boolean {
    return this.#segments(url) !== null;
  }

  #segments(url: URL): string[] | null {
    return localRepositorySegments(url, {
      root: this.#files.root,
      prefixes: this.#baseUrls,
    });
  }

  async #resolve(url: string): Promise<LocalRepositoryAddress> {
    const parsed = new URL(url);
    const segments = this.#segments(parsed);
    const address =
      segments &&
      (await this.#files.resolve(
        segments,
        parsed.searchParams.get('ref') ?? undefined,
      ));
    if (!address) {
      throw new NotFoundError(`${url} is not a file of a local repository`);
    }
    return address;
  }

  async #resolveFiles(url: string): Promise<FilesAddress> {
    const address = await this.#resolve(url);
    if (address.kind !== 'files') {
      throw new NotFoundError(`${url} is a comparison, not files`);
    }
    return address;
  }

  async read(url: string): Promise<Buffer> {
    return (await this.readUrl(url)).buffer();
  }

  async readUrl(
    url: string,
    options?: UrlReaderServiceReadUrlOptions,
  ): Promise<UrlReaderServiceReadUrlResponse> {
    const address = await this.#resolve(url);
    if (address.kind === 'compare') {
      const diff = Buffer.from(await this.#files.compare(address), 'utf8');
      return { buffer: async () => diff, stream: () => Readable.from(diff) };
    }
    const { content, etag } = await this.#files.readFile(address);
    if (options?.etag && options.etag === etag) {
      throw new NotModifiedError();
    }
    return {
      buffer: async () => content,
      stream: () => Readable.from(content),
      etag,
    };
  }

  async readTree(
    url: string,
    options?: UrlReaderServiceReadTreeOptions,
  ): Promise<UrlReaderServiceReadTreeResponse> {
    const address = await this.#resolveFiles(url);
    const { files, etag } = await this.#files.listFiles(address);
    if (options?.etag && options.etag === etag) {
      throw new NotModifiedError();
    }
    const kept = options?.filter
      ? files.filter(file => options.filter!(file.path, { size: file.size }))
      : files;
    const entries = await Promise.all(
      kept.map(async file => ({
        path: file.path,
        data: Readable.from(await file.content()),
      })),
    );
    const response = await this.#treeResponseFactory.fromReadableArray(entries);
    return {
      etag,
      files: () => response.files(),
      archive: () => response.archive(),
      dir: dirOptions => response.dir(dirOptions),
    };
  }

  async search(
    url: string,
    options?: UrlReaderServiceSearchOptions,
  ): Promise<UrlReaderServiceSearchResponse> {
    const parsed = new URL(url);
    if (!GLOB.test(decodeURIComponent(parsed.pathname))) {
      try {
        const data = await this.readUrl(url, options);
        return {
          files: [{ url, content: data.buffer }],
          etag: data.etag ?? '',
        };
      } catch (error) {
        if ((error as Error).name === 'NotFoundError') {
          return { files: [], etag: '' };
        }
        throw error;
      }
    }
    // A glob: read the tree of its static part, keep the matching files.
    const pathname = decodeURIComponent(parsed.pathname);
    const segments = pathname.split('/');
    const firstGlob = segments.findIndex(s => GLOB.test(s));
    const staticPart = segments.slice(0, firstGlob).join('/');
    const pattern = segments.slice(firstGlob).join('/');
    const folderUrl = new URL(parsed.toString());
    folderUrl.pathname = `${staticPart}/`;
    let address: FilesAddress;
    try {
      address = await this.#resolveFiles(folderUrl.toString());
    } catch (error) {
      if ((error as Error).name === 'NotFoundError') {
        return { files: [], etag: '' };
      }
      throw error;
    }
    const { files, etag } = await this.#files.listFiles(address);
    if (options?.etag && options.etag === etag) {
      throw new NotModifiedError();
    }
    return {
      etag,
      files: files
        .filter(file => path.posix.matchesGlob(file.path, pattern))
        .map(file => {
          const fileUrl = new URL(folderUrl.toString());
          fileUrl.pathname = `${staticPart}/${file.path}`;
          return { url: fileUrl.toString(), content: file.content };
        }),
    };
  }

  toString(): string {
    return `readiness-local-repos{root=${this.#files.root}}`;
  }
}

/**
 * Adds {@link LocalRepositoriesUrlReader} to the URL readers of every plugin:
 * `backend.add(localRepositoriesUrlReaderServiceFactory)`. It reads the
 * local repositories under `readiness.scaffolder.localPublishRoot` from
 * disk, by their served URLs (internal and external base URLs of the
 * scaffolder) and by `file:` URLs.
 *
 * @public
 */
export const localRepositoriesUrlReaderServiceFactory = createServiceFactory({
  service: urlReaderFactoriesServiceRef,
  deps: { discovery: coreServices.discovery },
  async factory({ discovery }: { discovery: DiscoveryService }) {
    const baseUrls = [
      await discovery.getBaseUrl('scaffolder'),
      await discovery.getExternalBaseUrl('scaffolder'),
    ];
    return LocalRepositoriesUrlReader.factory({ baseUrls });
  },
});
