import { type SQL, sql } from 'drizzle-orm';
import { queryWords, tsqueryLiteral } from './query.ts';

/** How many of the organization's words one typed word may stand for, the most similar first. */
export const CORRECTIONS_PER_WORD = 8;

/**
 * Whether the organization's table of words (`search_words`, migration 0038) can correct a typed word: it keeps
 * words of two letters or more, never numbers, emails or addresses (`search_words_of`, which this mirrors).
 */
export function isCorrectable(word: string): boolean {
  return word.length >= 2 && word.length <= 64 && !/[0-9@./:+_\\']/.test(word);
}

/**
 * Word similarity (the index's condition) finds the words a typed one is like a part of; whole-word similarity of
 * at least this keeps only those it could stand for: "ada" is like the start of "advertising" (0.5), but not the
 * word (0.14). pg_trgm's own default for `%`, which cannot be the index condition here: it is not LEAKPROOF.
 */
export const MIN_SIMILARITY = 0.3;

export type Correction = { i: number; word: string };

/**
 * The organization's words that each correctable typed word may be a typo of: trigram word similarity of at least
 * `pg_trgm.word_similarity_threshold` (set by the caller), through the table's trigram index, under row-level
 * security. `i` is the typed word's place in `queryWords(text)`. Null when no typed word is correctable.
 */
export function correctionsStatement(organizationId: string, text: string): SQL | null {
  const words = queryWords(text);
  if (!words.some(isCorrectable)) return null;
  const typed = words.map((word) => (isCorrectable(word) ? word : null));
  return sql`SELECT (typed.i - 1)::int AS i, c.word
    FROM jsonb_array_elements_text(${JSON.stringify(typed)}::jsonb) WITH ORDINALITY AS typed(word, i)
    CROSS JOIN LATERAL (
      SELECT s.word FROM search_words s
      WHERE s.organization_id = ${organizationId} AND typed.word <% s.word
        AND similarity(typed.word, s.word) >= ${MIN_SIMILARITY}
      ORDER BY similarity(typed.word, s.word) DESC, s.word
      LIMIT ${CORRECTIONS_PER_WORD}) c
    WHERE typed.word IS NOT NULL`;
}

/**
 * The typed words with their corrections, as a tsquery: each correctable word becomes "any of its corrections",
 * the others stay prefixes as typed, and all must match. A word with no correction at all (a word no record has
 * anything like) is left out, so one stray word does not hide the rest. Null when nothing was corrected: the
 * earlier tiers have already tried the words as typed.
 */
export function correctedQuery(text: string, corrections: Correction[]): string | null {
  const words = queryWords(text);
  const groups: string[] = [];
  let corrected = false;
  words.forEach((word, i) => {
    if (!isCorrectable(word)) {
      groups.push(`${tsqueryLiteral(word)}:*`);
      return;
    }
    const alternatives = corrections.filter((c) => c.i === i).map((c) => tsqueryLiteral(c.word));
    if (alternatives.length === 0) return;
    corrected = true;
    groups.push(alternatives.length === 1 ? alternatives[0]! : `(${alternatives.join(' | ')})`);
  });
  return corrected ? groups.join(' & ') : null;
}
