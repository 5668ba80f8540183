import { files, islands, stylesheetPath } from '../dist/web/assets.ts';

/**
 * The built stylesheet and island scripts (`npm run build:web`, run by `npm install` and `npm start`), compiled into
 * a module so the edge serves them from memory on every runtime: workerd and Deno have no file system to read.
 */
export const stylesheet: string = stylesheetPath;
export const islandScripts: Record<string, { src: string; imports: string[] }> = islands;

const assetFiles: Record<string, { type: string; body: string; etag: string }> = files;

/** A built file by its URL path; names carry a content hash, so they are cached for a year. */
export function assetResponse(path: string, ifNoneMatch: string | undefined): Response | null {
  const file = assetFiles[path];
  if (!file) return null;
  const headers = {
    'content-type': file.type,
    'cache-control': 'public, max-age=31536000, immutable',
    etag: file.etag,
  };
  if (ifNoneMatch === file.etag) return new Response(null, { status: 304, headers });
  return new Response(file.body, { headers });
}
