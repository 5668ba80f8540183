import { decodeJson, encodeJson } from '../../edge/protocol/encoding.ts';
import { badRequest } from '../../openapi/errors.ts';

// The id goes into a uuid comparison; anything PostgreSQL would not parse as one must be refused here, not by it.
const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Keyset cursors are opaque to clients: the last id of a page, versioned so the format can change. */
export const encodeCursor = (lastId: string): string => encodeJson({ v: 1, id: lastId });

export function decodeCursor(cursor: string): string {
  try {
    const value = decodeJson<{ v?: number; id?: unknown }>(cursor);
    if (value.v === 1 && typeof value.id === 'string' && uuidShape.test(value.id)) return value.id;
  } catch {
    // falls through to the one error below
  }
  throw badRequest('invalid_cursor', 'The cursor is not one this API returned', [
    { path: 'cursor', message: 'Use nextCursor from a previous page' },
  ]);
}
