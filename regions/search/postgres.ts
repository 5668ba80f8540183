import { type SQL, sql } from 'drizzle-orm';
import type { ShardSet } from '../../db/shard-set.ts';
import { rows } from '../analytics/sql.ts';
import { type Correction, correctedQuery, correctionsStatement } from './corrections.ts';
import { type Expansion, expansionsStatement, prefixesQuery } from './prefixes.ts';
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

/**
 * The word similarity that still counts a word of the organization's as a correction of a typed one: 0.4 forgives a
 * typo or two in a word; the default (0.6) almost none.
 */
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
 * whole words (every word as typed), then prefixes (the last word as typed so far, each word before it standing for
 * the organization's words it begins), then the words corrected against the organization's own words (typos).
 */
export const searchTiers = ['words', 'prefixes', 'corrected'] as const;
export type SearchTier = (typeof searchTiers)[number];

type Run = (statement: SQL) => Promise<Record<string, unknown>[]>;

/** The tier's tsquery, or null when it has nothing to look for; the later tiers read the organization's words first. */
async function tierQuery(tier: SearchTier, request: SearchRequest, run: Run): Promise<string | null> {
  if (tier === 'words') return exactQuery(request.text);
  if (tier === 'prefixes') {
    const statement = expansionsStatement(request.organizationId, request.text);
    if (!statement) return prefixQuery(request.text);
    return prefixesQuery(request.text, (await run(statement)) as Expansion[]);
  }
  const statement = correctionsStatement(request.organizationId, request.text);
  if (!statement) return null;
  return correctedQuery(request.text, (await run(statement)) as Correction[]);
}

/**
 * One tier's statement across the requested types: up to CANDIDATES_PER_TYPE rows of each type matching the tier's
 * tsquery through the stored `search_vector` index (a condition of the index under row-level security, migration
 * 0018), ranked by full-text rank and word similarity together. Null when no type is asked for.
 */
export function searchStatement(request: SearchRequest, tsquery: string): SQL | null {
  if (request.types.length === 0) return null;
  const text = request.text.trim().toLowerCase().slice(0, 200);
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
        WHERE organization_id = ${request.organizationId}${owner}
          AND search_vector @@ to_tsquery('simple'::regconfig, ${tsquery})
        LIMIT ${CANDIDATES_PER_TYPE}) c
      ORDER BY score DESC, c.id DESC LIMIT ${request.limit})`;
  });
  return sql`SELECT * FROM (${sql.join(parts, sql` UNION ALL `)}) hits ORDER BY score DESC, id DESC LIMIT ${request.limit}`;
}

/**
 * Runs the tiers in order through `run` (inside one tenant transaction, after `wordSimilarityThreshold`) until
 * `limit` records are found; a record found by an earlier tier keeps its place above the later tiers' ones.
 */
export async function collectTiers(request: SearchRequest, run: Run): Promise<SearchRow[]> {
  const found = new Map<string, SearchRow>();
  for (const tier of searchTiers) {
    const tsquery = await tierQuery(tier, request, run);
    const statement = tsquery ? searchStatement(request, tsquery) : null;
    if (!statement) continue;
    for (const row of (await run(statement)) as SearchRow[]) {
      if (found.size < request.limit && !found.has(row.id)) found.set(row.id, row);
    }
    if (found.size >= request.limit) break;
  }
  return [...found.values()];
}

/** PostgreSQL full text, with typos corrected by pg_trgm word similarity, on the organization's shard, under RLS. */
export function createPostgresSearch(shards: ShardSet): SearchBackend {
  return {
    name: 'postgres',
    async search(request: SearchRequest): Promise<SearchHit[]> {
      if (request.types.length === 0) return [];
      const found = await shards.withTenant(request.organizationId, async (tx) => {
        await tx.execute(wordSimilarityThreshold);
        return collectTiers(request, (statement) => rows(tx, statement));
      });
      return found.map((row) => ({
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
