import type { Context } from 'hono';
import { etagOf } from './views.ts';

/**
 * The 200 of a versioned record with its ETag, or a bodyless 304 when the client's If-None-Match names that version
 * already: a client (or cache) holding the record revalidates it without downloading it again.
 */
export function conditionalRead(c: Context, record: { version: number }) {
  const etag = etagOf(record.version);
  c.header('ETag', etag);
  if (c.req.header('if-none-match') === etag) return c.body(null, 304);
  // zod-openapi checks each route's answer against its schema at the caller; the record here is that answer.
  return c.json(record as never, 200);
}
