import { decodeJson, encodeJson } from '../../edge/protocol/encoding.ts';
import { badRequest } from '../../openapi/errors.ts';

/** Where a page of tasks (ordered by due time, then id; no due time last) ended. */
export type TaskPosition = { dueAt: Date | null; id: string };

const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isoShape = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export const encodeTaskCursor = (last: TaskPosition): string =>
  encodeJson({ v: 1, due: last.dueAt ? last.dueAt.toISOString() : null, id: last.id });

/** Both values go into SQL comparisons: anything PostgreSQL would not parse is refused here, as a 400. */
export function decodeTaskCursor(cursor: string): TaskPosition {
  try {
    const value = decodeJson<{ v?: number; due?: unknown; id?: unknown }>(cursor);
    const dueOk = value.due === null || (typeof value.due === 'string' && isoShape.test(value.due));
    if (value.v === 1 && dueOk && typeof value.id === 'string' && uuidShape.test(value.id)) {
      const dueAt = value.due === null ? null : new Date(value.due as string);
      if (!dueAt || !Number.isNaN(dueAt.getTime())) return { dueAt, id: value.id };
    }
  } catch {
    // falls through to the one error below
  }
  throw badRequest('invalid_cursor', 'The cursor is not one this API returned', [
    { path: 'cursor', message: 'Use nextCursor from a previous page' },
  ]);
}
