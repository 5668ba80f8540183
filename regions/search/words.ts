import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import type { ShardSet } from '../../db/shard-set.ts';
import { rows } from '../analytics/sql.ts';
import type { RegionContext } from '../context.ts';
import { organizationsPlacedIn } from '../support/placed.ts';

/**
 * The organization's table of words (`search_words`, migration 0038), which a search with a typo corrects its words
 * against. Writes add to it through triggers; these take away what no record has any more.
 */

const textArray = (values: string[]): SQL =>
  sql`ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;

/** The table words of the given leads and contacts as they are now: read before a change that removes them. */
export async function wordsOfPeople(
  tx: Tx,
  organizationId: string,
  ids: { leadIds: string[]; contactIds: string[] },
): Promise<string[]> {
  const of = (table: string, tableIds: string[]) =>
    tableIds.length === 0
      ? []
      : [
          sql`SELECT w AS word FROM ${sql.raw(table)}, search_words_of(search_vector) AS w
              WHERE organization_id = ${organizationId} AND id IN (${sql.join(
                tableIds.map((id) => sql`${id}`),
                sql`, `,
              )})`,
        ];
  const parts = [...of('leads', ids.leadIds), ...of('contacts', ids.contactIds)];
  if (parts.length === 0) return [];
  return (await rows<{ word: string }>(tx, sql.join(parts, sql` UNION `))).map((row) => row.word);
}

/** Removes those of the words that no record of the organization has any more; how many went. */
export async function forgetSearchWords(tx: Tx, organizationId: string, words: string[]): Promise<number> {
  if (words.length === 0) return 0;
  const [row] = await rows<{ n: number }>(
    tx,
    sql`SELECT search_words_forget(${organizationId}, ${textArray(words)}) AS n`,
  );
  return row?.n ?? 0;
}

export type TidyResult = { added: number; removed: number };

/**
 * Makes the organization's table hold exactly the words its records have: the words of records deleted or changed
 * since go, and a word a concurrent write left out (migration 0038) comes back. One pass over the organization's
 * records (about 4 s at 500,000 leads).
 */
export async function tidySearchWords(tx: Tx, organizationId: string): Promise<TidyResult> {
  const wordsOf = (table: string) =>
    sql`SELECT w FROM ${sql.raw(table)}, search_words_of(search_vector) AS w WHERE organization_id = ${organizationId}`;
  const [row] = await rows<TidyResult>(
    tx,
    sql`WITH present AS MATERIALIZED (
          ${wordsOf('leads')} UNION ${wordsOf('contacts')} UNION ${wordsOf('companies')} UNION ${wordsOf('deals')}),
        added AS (INSERT INTO search_words (organization_id, word) SELECT ${organizationId}, w FROM present
          ON CONFLICT DO NOTHING RETURNING 1),
        removed AS (DELETE FROM search_words s WHERE s.organization_id = ${organizationId}
          AND NOT EXISTS (SELECT 1 FROM present p WHERE p.w = s.word) RETURNING 1)
        SELECT (SELECT count(*) FROM added)::int AS added, (SELECT count(*) FROM removed)::int AS removed`,
  );
  return row ?? { added: 0, removed: 0 };
}

/**
 * Tidies every organization placed in this region, each in its own RLS transaction (one failing does not hold back
 * the others); the organizations whose table changed, with what changed.
 */
export async function tidyRegionSearchWords(
  ctx: Pick<RegionContext, 'region' | 'log'> & { shards: ShardSet },
): Promise<(TidyResult & { organizationId: string })[]> {
  const organizationIds = await organizationsPlacedIn(ctx.shards, ctx.region);
  const changed: (TidyResult & { organizationId: string })[] = [];
  for (const organizationId of organizationIds) {
    try {
      const result = await ctx.shards.withTenant(organizationId, (tx) => tidySearchWords(tx, organizationId));
      if (result.added || result.removed) changed.push({ organizationId, ...result });
    } catch (err) {
      ctx.log.error({ err, organizationId }, 'search words tidy failed for an organization');
    }
  }
  return changed;
}
