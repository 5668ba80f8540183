import { sql } from 'drizzle-orm';
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

/**
 * PostgreSQL full text (prefix matches on the generated `search_text`) plus pg_trgm word similarity for typos,
 * ranked together; one statement across the requested types, on the organization's shard, under RLS.
 */
export function createPostgresSearch(shards: ShardSet): SearchBackend {
  return {
    name: 'postgres',
    async search(request: SearchRequest): Promise<SearchHit[]> {
      // An empty tsquery matches nothing (with a notice, not an error); trigram similarity may still match.
      const tsquery = prefixQuery(request.text) ?? '';
      const text = request.text.trim().toLowerCase().slice(0, 200);
      const parts = request.types.map((type) => {
        const source = sources[type];
        const owner = source.ownerScoped && request.ownerOnly ? sql` AND owner_id = ${request.ownerOnly}` : sql``;
        return sql`(SELECT ${type}::text AS type, id::text AS id, ${sql.raw(source.title)} AS title,
            ${sql.raw(source.subtitle)} AS subtitle, owner_id::text AS owner_id,
            (ts_rank_cd(to_tsvector('simple'::regconfig, search_text), q.query) * 2
              + word_similarity(${text}, search_text))::float8 AS score
          FROM ${sql.raw(source.table)}, (SELECT to_tsquery('simple'::regconfig, ${tsquery}) AS query) q
          WHERE organization_id = ${request.organizationId}${owner}
            AND (to_tsvector('simple'::regconfig, search_text) @@ q.query OR ${text} <% search_text)
          ORDER BY score DESC, id DESC LIMIT ${request.limit})`;
      });
      if (parts.length === 0) return [];
      const rows = await shards.withTenant(request.organizationId, async (tx) => {
        // Word similarity of 0.4 forgives a typo or two in a word; the default (0.6) forgives almost none.
        await tx.execute(sql`SELECT set_config('pg_trgm.word_similarity_threshold', '0.4', true)`);
        const result = await tx.execute(
          sql`SELECT * FROM (${sql.join(parts, sql` UNION ALL `)}) hits ORDER BY score DESC, id DESC LIMIT ${request.limit}`,
        );
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
