/** What a search may look in, and the record types a result can be. */
export const searchableTypes = ['lead', 'contact', 'company', 'deal'] as const;
export type SearchableType = (typeof searchableTypes)[number];

export type SearchHit = {
  type: SearchableType;
  id: string;
  title: string;
  subtitle: string | null;
  ownerId: string | null;
  score: number;
};

export type SearchRequest = {
  organizationId: string;
  /** The words as the user typed them. */
  text: string;
  types: SearchableType[];
  /** Sales reps see only what they own (companies are shared); null means the whole organization. */
  ownerOnly: string | null;
  limit: number;
};

/** One search back end: PostgreSQL by default, Typesense when configured. Both answer the same contract suite. */
export interface SearchBackend {
  readonly name: string;
  search(request: SearchRequest): Promise<SearchHit[]>;
}

const operatorCharacters = /[&|!():*<>'"\\]/g;

/** The words a user typed, as tsquery-safe lower-case literals: at most 8, each at most 64 characters. */
export function queryWords(text: string): string[] {
  return text
    .normalize('NFKC')
    .replace(operatorCharacters, ' ')
    .split(/\s+/)
    .map((w) => w.trim().toLowerCase())
    .filter((w) => w.length > 0)
    .slice(0, 8)
    .map((w) => w.slice(0, 64));
}

/** A word as a tsquery literal: quoted, so nothing in it is read as an operator. */
export const tsqueryLiteral = (word: string): string => `'${word.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/**
 * Turns what a user typed into a prefix tsquery: every word must match the start of a word in the record.
 * Each word is quoted as a tsquery literal, so nothing the user types is read as an operator.
 */
export function prefixQuery(text: string): string | null {
  const words = queryWords(text);
  return words.length === 0 ? null : words.map((w) => `${tsqueryLiteral(w)}:*`).join(' & ');
}

/** The same words as whole words: every one must be a word of the record. */
export function exactQuery(text: string): string | null {
  const words = queryWords(text);
  return words.length === 0 ? null : words.map(tsqueryLiteral).join(' & ');
}
