import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import express from 'express';
import fs from 'fs';
import path from 'path';

/** Where the scaffolder serves local repositories, under its base URL. */
export const LOCAL_REPOSITORIES_PATH = '/readiness/local-repos';

const CONTENT_TYPES: Record<string, string> = {
  '.yaml': 'text/yaml; charset=utf-8',
  '.yml': 'text/yaml; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
};

/**
 * Serves the files of the local repositories read-only, so that the catalog
 * can read a published `catalog-info.yaml` through its URL reader (allowed
 * by `backend.reading.allow`). Only regular files; nothing under a dot
 * folder (`.git`); nothing outside the root, even through symlinks.
 */
export function createLocalRepositoriesRouter(options: {
  root: string;
}): express.Router {
  const root = path.resolve(options.root);
  const router = express.Router();
  router.get(`${LOCAL_REPOSITORIES_PATH}/:repo/*`, async (req, res) => {
    const relative = `${req.params.repo}/${
      (req.params as Record<string, string>)[0] ?? ''
    }`;
    const segments = relative.split('/');
    if (segments.some(s => s === '' || s.startsWith('.'))) {
      res
        .status(404)
        .json({ error: { name: 'NotFoundError', message: 'Not found' } });
      return;
    }
    try {
      const file = resolveSafeChildPath(root, relative);
      const realRoot = await fs.promises.realpath(root);
      const real = await fs.promises.realpath(file);
      const inside = path.relative(realRoot, real);
      const stat = await fs.promises.stat(real);
      if (
        inside.startsWith('..') ||
        path.isAbsolute(inside) ||
        !stat.isFile()
      ) {
        throw new Error('not a file of a local repository');
      }
      res.setHeader(
        'content-type',
        CONTENT_TYPES[path.extname(real).toLowerCase()] ??
          'text/plain; charset=utf-8',
      );
      res.send(await fs.promises.readFile(real));
    } catch {
      res
        .status(404)
        .json({ error: { name: 'NotFoundError', message: 'Not found' } });
    }
  });
  return router;
}
