import express from 'express';
import path from 'path';
import {
  LOCAL_REPOSITORIES_PATH,
  LocalRepositoryFiles,
} from './localRepositoryFiles';

export { LOCAL_REPOSITORIES_PATH };

const CONTENT_TYPES: Record<string, string> = {
  '.yaml': 'text/yaml; charset=utf-8',
  '.yml': 'text/yaml; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
};

function notFound(res: express.Response) {
  res
    .status(404)
    .json({ error: { name: 'NotFoundError', message: 'Not found' } });
}

/**
 * Serves the files of the local repositories read-only, so that the catalog
 * can read a published `catalog-info.yaml` through its URL reader (allowed
 * by `backend.reading.allow`), and so that users can open a branch made by
 * `readiness:publish:local`:
 *
 * - `<repo>/<path>`: a file of the working tree;
 * - `<repo>/-/tree/<ref>/<path>` (or `?ref=`): a file of a branch, tag or
 *   commit, read from Git objects; a folder there lists its files;
 * - `<repo>/-/compare/<base>...<head>`: the unified diff of two refs.
 *
 * Only regular files; nothing under a dot folder (`.git`); nothing outside
 * the root, even through symlinks.
 */
export function createLocalRepositoriesRouter(options: {
  root: string;
}): express.Router {
  const files = new LocalRepositoryFiles({ root: options.root });
  const router = express.Router();
  router.get(`${LOCAL_REPOSITORIES_PATH}/:repo/*`, async (req, res) => {
    const segments = [
      req.params.repo,
      ...((req.params as Record<string, string>)[0] ?? '').split('/'),
    ];
    const queryRef = typeof req.query.ref === 'string' ? req.query.ref : '';
    try {
      const address = await files.resolve(segments, queryRef || undefined);
      if (!address) {
        notFound(res);
        return;
      }
      if (address.kind === 'compare') {
        res.setHeader('content-type', 'text/x-diff; charset=utf-8');
        res.send(await files.compare(address));
        return;
      }
      if (address.commit && (await files.isFolder(address))) {
        const listed = await files.listFiles(address);
        res.setHeader('content-type', 'text/plain; charset=utf-8');
        res.send(
          `${listed.files.map(f => f.path).join('\n')}${
            listed.files.length ? '\n' : ''
          }`,
        );
        return;
      }
      const { content, etag } = await files.readFile(address);
      res.setHeader('etag', `"${etag}"`);
      res.setHeader(
        'content-type',
        CONTENT_TYPES[path.posix.extname(address.path).toLowerCase()] ??
          'text/plain; charset=utf-8',
      );
      res.send(content);
    } catch {
      notFound(res);
    }
  });
  return router;
}
