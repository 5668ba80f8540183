import type { ShardSet } from '../../db/shard-set.ts';
import { createPostgresSearch } from './postgres.ts';
import type { SearchBackend } from './query.ts';
import { createTypesenseSearch } from './typesense.ts';

/**
 * `SEARCH_BACKEND=postgres` (default: full text + pg_trgm over generated columns, current in the write's own
 * transaction) or `typesense` (TYPESENSE_URL, TYPESENSE_API_KEY; fed from the event stream by the search-index
 * worker, so a write shows up there a moment later).
 */
export function selectSearch(env: NodeJS.ProcessEnv, shards: ShardSet): SearchBackend {
  const backend = (env.SEARCH_BACKEND ?? '').trim() || 'postgres';
  if (backend === 'postgres') return createPostgresSearch(shards);
  if (backend === 'typesense') {
    const url = env.TYPESENSE_URL?.trim();
    if (!url || !/^https?:\/\/[^/\s]+\/?$/.test(url)) {
      throw new Error('TYPESENSE_URL must be the Typesense server (http(s)://host:port) with SEARCH_BACKEND=typesense');
    }
    if (!env.TYPESENSE_API_KEY) throw new Error('TYPESENSE_API_KEY is required with SEARCH_BACKEND=typesense');
    return createTypesenseSearch({ url, apiKey: env.TYPESENSE_API_KEY });
  }
  throw new Error(`SEARCH_BACKEND: "${backend}" is not one of postgres, typesense`);
}
