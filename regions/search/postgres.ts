import { type SQL, sql } from 'drizzle-orm';
import type { ShardSet } from '../../db/shard-set.ts';
import {
  exactQuery,
  prefixQuery,
  type SearchableType,
  type SearchBackend,
  type SearchHit,
  type SearchRequest,
} from './query.ts';

export type SearchRow = {
  type: SearchableType;
  id: string;
  title: string;
  subtitle: string | null;
  owner_id: string | null;
  score: number;
};

/** Each type's table, how its result reads, and whether sales reps see only their own (companies are shared). */
const sources: Record<SearchableType, { table: string; title: string; subtitle: string; ownerScoped: boolean }> = {
  lead: {
    table: 'leads',
    title: `coalesce(nullif(trim(first_name || ' ' || last_name), ''), email, phone, '')`,
    subtitle: `nullif(concat_ws(' · ', company, email), '')`,
    ownerScoped: true,
  },
  contact: {
    table: 'contacts',
    title: `coalesce(nullif(trim(first_name || ' ' || last_name), ''), email, phone, '')`,
    subtitle: `nullif(concat_ws(' · ', title, email), '')`,
    ownerScoped: true,
  },
  company: {
    table: 'companies',
    title: 'name',
    subtitle: `nullif(concat_ws(' · ', domain, industry), '')`,
    ownerScoped: false,
  },
  deal: { table: 'deals', title: 'name', subtitle: `amount::text || ' ' || currency`, ownerScoped: true },
};

/** The word similarity that still counts as a match: 0.4 forgives a typo or two in a word; the default (0.6) almost none. */
export const wordSimilarityThreshold = sql`SELECT set_config('pg_trgm.word_similarity_threshold', '0.4', true)`;

/**
 * How many matching rows of one type one tier ranks at most. A word that thousands of records share (a common first
 * name) would otherwise have every one of them read and ranked to show fifty; with the cap a search reads a bounded
 * number of rows whatever the organization's size. A more precise tier runs first, so the cap only ever cuts among
 * equally good matches.
 */
export const CANDIDATES_PER_TYPE = 1000;

/**
 * The match tiers, best first; the next runs only while fewer than `limit` records are found:
 * whole words (every word as typed), then word prefixes (what is being typed), then trigram word similarity (typos).
 */
export const searchTiers = ['words', 'prefixes', 'similar'] as const;
export type SearchTier = (typeof searchTiers)[number];

function tierCondition(tier: SearchTier, request: SearchRequest, text: string): SQL | null {
  if (tier === 'similar') return sql`${text} <% search_text`;
  const tsquery = tier === 'words' ? exactQuery(request.text) : prefixQuery(request.text);
  return tsquery ? sql`search_vector @@ to_tsquery('simple'::regconfig, ${tsquery})` : null;
}

/**
 * One tier's statement across the requested types: up to CANDIDATES_PER_TYPE matching rows of each type, found
 * through the stored `search_vector` (full text) or `search_text` (trigrams) index, both index conditions under
 * row-level security (migration 0018), ranked by full-text rank and word similarity together. Null when the tier
 * has nothing to look for (no words, or no type asked for).
 */
export function searchStatement(request: SearchRequest, tier: SearchTier): SQL | null {
  const text = request.text.trim().toLowerCase().slice(0, 200);
  const condition = tierCondition(tier, request, text);
  if (!condition || request.types.length === 0) return null;
  // Ranked against the prefix query whatever the tier, so scores of different tiers compare.
  const rankQuery = prefixQuery(request.text) ?? '';
  const parts = request.types.map((type) => {
    const source = sources[type];
    const owner = source.ownerScoped && request.ownerOnly ? sql` AND owner_id = ${request.ownerOnly}` : sql``;
    return sql`(SELECT ${type}::text AS type, c.id::text AS id, c.title, c.subtitle, c.owner_id::text AS owner_id,
        (ts_rank_cd(c.search_vector, to_tsquery('simple'::regconfig, ${rankQuery})) * 2
          + word_similarity(${text}, c.search_text))::float8 AS score
      FROM (SELECT id, owner_id, search_vector, search_text, ${sql.raw(source.title)} AS title,
          ${sql.raw(source.subtitle)} AS subtitle
        FROM ${sql.raw(source.table)}
        WHERE organization_id = ${request.organizationId}${owner} AND ${condition}
        LIMIT ${CANDIDATES_PER_TYPE}) c
      ORDER BY score DESC, c.id DESC LIMIT ${request.limit})`;
  });
  return sql`SELECT * FROM (${sql.join(parts, sql` UNION ALL `)}) hits ORDER BY score DESC, id DESC LIMIT ${request.limit}`;
}

/**
 * Runs the tiers in order through `run` (inside one tenant transaction, after `wordSimilarityThreshold`) until
 * `limit` records are found; a record found by an earlier tier keeps its place above the later tiers' ones.
 */
export async function collectTiers(
  request: SearchRequest,
  run: (statement: SQL) => Promise<SearchRow[]>,
): Promise<SearchRow[]> {
  const found = new Map<string, SearchRow>();
  for (const tier of searchTiers) {
    const statement = searchStatement(request, tier);
    if (!statement) continue;
    for (const row of await run(statement)) {
      if (found.size < request.limit && !found.has(row.id)) found.set(row.id, row);
    }
    if (found.size >= request.limit) break;
  }
  return [...found.values()];
}

/** PostgreSQL full text plus pg_trgm word similarity for typos, on the organization's shard, under RLS. */
export function createPostgresSearch(shards: ShardSet): SearchBackend {
  return {
    name: 'postgres',
    async search(request: SearchRequest): Promise<SearchHit[]> {
      if (request.types.length === 0) return [];
      const rows = await shards.withTenant(request.organizationId, async (tx) => {
        await tx.execute(wordSimilarityThreshold);
        return collectTiers(request, async (statement) => {
          const result = await tx.execute(statement);
          return (Array.isArray(result) ? result : (result as { rows: SearchRow[] }).rows) as SearchRow[];
        });
      });
      return rows.map((row) => ({
        type: row.type,
        id: row.id,
        title: row.title,
        subtitle: row.subtitle,
        ownerId: row.owner_id,
        score: Math.round(Number(row.score) * 1000) / 1000,
      }));
    },
  };
}
