import type { Context } from 'hono';
import type { StoredResponse } from './idempotency.ts';
import { etagOf } from './views.ts';

type Created = StoredResponse & { replayed: boolean };

/** The 201 of a create: where the new thing lives, and whether this answers an idempotent retry of an earlier call. */
export function created(c: Context, result: Created, location: string) {
  c.header('Location', location);
  if (result.replayed) c.header('Idempotent-Replayed', 'true');
  return c.json(result.body as never, 201);
}

/** The 201 of a versioned record: also its ETag, so the next If-Match can be sent without reading it first. */
export function createdRecord(c: Context, result: Created, collection: string) {
  const record = result.body as { id: string; version: number };
  c.header('ETag', etagOf(record.version));
  return created(c, result, `${collection}/${record.id}`);
}
