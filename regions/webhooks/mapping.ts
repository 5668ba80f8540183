/**
 * Reads `a.b.0.c` out of parsed JSON: object keys and array indexes, nothing else (no expressions), so a mapping
 * cannot do more than pick values.
 */
export function valueAt(payload: unknown, path: string): unknown {
  let current: unknown = payload;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(part)) return undefined;
      current = current[Number(part)];
    } else {
      if (!Object.hasOwn(current, part)) return undefined;
      current = (current as Record<string, unknown>)[part];
    }
  }
  return current;
}

/**
 * The lead fields a payload gives through a mapping (field → dot path), over the endpoint's defaults. Numbers and
 * booleans become text; missing values, nulls, empty strings, objects and arrays are left out, so the lead's own
 * validation reports what is missing or malformed.
 */
export function mapPayload(
  payload: unknown,
  mapping: Record<string, string>,
  defaults: Record<string, string> | null = null,
): Record<string, string> {
  const fields: Record<string, string> = { ...(defaults ?? {}) };
  for (const [field, path] of Object.entries(mapping)) {
    const value = valueAt(payload, path);
    if (typeof value === 'string' && value.trim() !== '') fields[field] = value.trim();
    else if (typeof value === 'number' || typeof value === 'boolean') fields[field] = String(value);
  }
  return fields;
}
