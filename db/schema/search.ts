import { pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { organizationId } from './columns.ts';

/**
 * The words of an organization's leads, contacts, companies and deals, each once: what a search with a typo
 * corrects its words against before it looks for records (regions/search/postgres.ts). Triggers keep it in the same
 * transaction as every write (migration 0038); its trigram index is in the migration only, like the others.
 */
export const searchWords = pgTable(
  'search_words',
  {
    organizationId: organizationId(),
    word: text('word').notNull(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.word], name: 'search_words_pkey' })],
);
