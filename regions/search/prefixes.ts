import { type SQL, sql } from 'drizzle-orm';
import { isCorrectable } from './corrections.ts';
import { queryWords, tsqueryLiteral } from './query.ts';

/**
 * How many of the organization's words a typed word before the last may stand for. A word with more (or none) is
 * looked up as a prefix after all.
 */
export const EXPANSIONS_PER_WORD = 64;

export type Expansion = { i: number; word: string };

/** The smallest string above every string that starts with `prefix`, in code point order. */
function pastPrefix(prefix: string): string {
  const points = [...prefix];
  const last = points.pop()!;
  return points.join('') + String.fromCodePoint(last.codePointAt(0)! + 1);
}

/**
 * The organization's words (`search_words`) that each typed word before the last begins, up to one more than
 * EXPANSIONS_PER_WORD, through the table's primary key (a range of text, which row-level security lets be the
 * index condition). Null for a single word, or when no word before the last could be in the table.
 */
export function expansionsStatement(organizationId: string, text: string): SQL | null {
  const leading = queryWords(text).slice(0, -1);
  const parts = leading.flatMap((word, i) =>
    isCorrectable(word)
      ? [
          sql`(SELECT ${i}::int AS i, word FROM search_words
              WHERE organization_id = ${organizationId} AND word >= ${word} AND word < ${pastPrefix(word)}
                AND left(word, ${[...word].length}::int) = ${word}
              ORDER BY word LIMIT ${EXPANSIONS_PER_WORD + 1})`,
        ]
      : [],
  );
  return parts.length ? sql.join(parts, sql` UNION ALL `) : null;
}

/**
 * The prefix tier's tsquery: the last word is a prefix (what is being typed, an email or a number too); a word
 * before it stands for the organization's words it begins. A prefix of every word would make PostgreSQL gather
 * every lexeme it begins, and the emails begin with first names: "ada" began 12,000 at 500,000 leads, 13-17 ms
 * before anything else was looked at (docs/performance.md, Findings › API 11).
 */
export function prefixesQuery(text: string, expansions: Expansion[]): string | null {
  const words = queryWords(text);
  if (words.length === 0) return null;
  return words
    .map((word, i) => {
      const found = expansions.filter((e) => e.i === i).map((e) => tsqueryLiteral(e.word));
      if (i === words.length - 1 || found.length === 0 || found.length > EXPANSIONS_PER_WORD) {
        return `${tsqueryLiteral(word)}:*`;
      }
      return found.length === 1 ? found[0]! : `(${found.join(' | ')})`;
    })
    .join(' & ');
}
