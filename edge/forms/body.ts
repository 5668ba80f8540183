import type { Context } from 'hono';
import { ApiError } from '../../openapi/errors.ts';

export type SubmittedValues = Record<string, string | boolean>;

const MAX_KEYS = 100;

/**
 * A submission's values from JSON (what the embed sends) or application/x-www-form-urlencoded (a plain HTML form
 * posting without the script): flat, strings or booleans (a number is read as its text), at most 100 keys.
 */
export async function readValues(c: Context): Promise<SubmittedValues> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  let raw: unknown;
  if (type === 'application/json') {
    raw = await c.req.json().catch(() => {
      throw new ApiError(400, 'invalid_json', 'The body is not valid JSON');
    });
  } else if (type === 'application/x-www-form-urlencoded') {
    raw = Object.fromEntries(new URLSearchParams(await c.req.text()));
  } else {
    throw new ApiError(415, 'unsupported_media_type', 'Send application/json or application/x-www-form-urlencoded');
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ApiError(400, 'validation_failed', 'The body must be an object of field names and values');
  }
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length > MAX_KEYS) throw new ApiError(400, 'validation_failed', `At most ${MAX_KEYS} fields`);
  const values: SubmittedValues = {};
  for (const [key, value] of entries) {
    if (key.length > 100) throw new ApiError(400, 'validation_failed', 'A field name is too long');
    if (typeof value === 'string' || typeof value === 'boolean') values[key] = value;
    else if (typeof value === 'number' && Number.isFinite(value)) values[key] = String(value);
    else if (value !== null && value !== undefined) {
      throw new ApiError(400, 'validation_failed', 'Every value must be text or true/false', [
        { path: key, message: 'Must be text or true/false' },
      ]);
    }
  }
  return values;
}
