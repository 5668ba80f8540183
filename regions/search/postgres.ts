import { type SQL, sql } from 'drizzle-orm';
import type { ShardSet } from '../../db/shard-set.ts';
import { prefixQuery, type SearchableType, type SearchBackend, type SearchHit, type SearchRequest } from './query.ts';

type Row = {
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
 * One statement across the requested types: full-text prefix matches on the stored `search_vector` or trigram word
 * similarity on `search_text`, ranked together. Both conditions are index conditions under row-level security
 * (migration 0018), so it reads only matching rows. Null when no type is asked for.
 */
export function searchStatement(request: SearchRequest): SQL | null {
  // An empty tsquery matches nothing (with a notice, not an error); trigram similarity may still match.
  const tsquery = prefixQuery(request.text) ?? '';
  const text = request.text.trim().toLowerCase().slice(0, 200);
  const parts = request.types.map((type) => {
    const source = sources[type];
    const owner = source.ownerScoped && request.ownerOnly ? sql` AND owner_id = ${request.ownerOnly}` : sql``;
    return sql`(SELECT ${type}::text AS type, id::text AS id, ${sql.raw(source.title)} AS title,
        ${sql.raw(source.subtitle)} AS subtitle, owner_id::text AS owner_id,
        (ts_rank_cd(search_vector, q.query) * 2 + word_similarity(${text}, search_text))::float8 AS score
      FROM ${sql.raw(source.table)}, (SELECT to_tsquery('simple'::regconfig, ${tsquery}) AS query) q
      WHERE organization_id = ${request.organizationId}${owner}
        AND (search_vector @@ q.query OR ${text} <% search_text)
      ORDER BY score DESC, id DESC LIMIT ${request.limit})`;
  });
  if (parts.length === 0) return null;
  return sql`SELECT * FROM (${sql.join(parts, sql` UNION ALL `)}) hits ORDER BY score DESC, id DESC LIMIT ${request.limit}`;
}

/** PostgreSQL full text plus pg_trgm word similarity for typos, on the organization's shard, under RLS. */
export function createPostgresSearch(shards: ShardSet): SearchBackend {
  return {
    name: 'postgres',
    async search(request: SearchRequest): Promise<SearchHit[]> {
      const statement = searchStatement(request);
      if (!statement) return [];
      const rows = await shards.withTenant(request.organizationId, async (tx) => {
        await tx.execute(wordSimilarityThreshold);
        const result = await tx.execute(statement);
        return (Array.isArray(result) ? result : (result as { rows: Row[] }).rows) as Row[];
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
