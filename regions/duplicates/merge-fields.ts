export type Side = 'primary' | 'duplicate';

export const MAX_TAGS = 50;

const isEmpty = (value: unknown) => value === null || value === undefined || value === '';

/**
 * The values the primary takes from the duplicate in a merge: every field the caller chose 'duplicate' for, and,
 * where the caller chose nothing, the duplicate's value for a field the primary has left empty (null or ''), so a
 * merge never loses a detail only the duplicate knew. A field chosen 'primary' keeps the primary's value, even
 * an empty one. `companions` travel with their field (consent with the time and source it was given).
 * Only the fields whose value actually changes are returned.
 */
export function mergeFields<R extends Record<string, unknown>, F extends keyof R & string>(
  primary: R,
  duplicate: R,
  fields: readonly F[],
  choices: Partial<Record<F, Side>>,
  companions: Partial<Record<F, readonly (keyof R & string)[]>> = {},
): Partial<R> {
  const taken: Record<string, unknown> = {};
  for (const field of fields) {
    const choice = choices[field];
    const take =
      choice === 'duplicate' || (choice === undefined && isEmpty(primary[field]) && !isEmpty(duplicate[field]));
    if (!take) continue;
    for (const name of [field, ...(companions[field] ?? [])]) {
      if (JSON.stringify(primary[name]) !== JSON.stringify(duplicate[name])) taken[name] = duplicate[name];
    }
  }
  return taken as Partial<R>;
}

/** The primary's tags, then the duplicate's it lacks, at most MAX_TAGS (the primary's come first, so they stay). */
export function unionTags(primary: readonly string[], duplicate: readonly string[]): string[] {
  return [...new Set([...primary, ...duplicate])].slice(0, MAX_TAGS);
}
