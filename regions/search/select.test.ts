import { describe, expect, it } from 'vitest';
import type { ShardSet } from '../../db/shard-set.ts';
import { selectSearch } from './select.ts';

const shards = {} as ShardSet;

describe('choosing the search back end', () => {
  it('is PostgreSQL unless told otherwise', () => {
    expect(selectSearch({}, shards).name).toBe('postgres');
    expect(selectSearch({ SEARCH_BACKEND: 'postgres' }, shards).name).toBe('postgres');
  });

  it('is Typesense with its URL and key', () => {
    const env = { SEARCH_BACKEND: 'typesense', TYPESENSE_URL: 'http://127.0.0.1:8108', TYPESENSE_API_KEY: 'k' };
    expect(selectSearch(env, shards).name).toBe('typesense');
  });

  it('refuses an incomplete or unknown setting at start, naming it', () => {
    expect(() => selectSearch({ SEARCH_BACKEND: 'typesense' }, shards)).toThrow(/TYPESENSE_URL/);
    expect(() => selectSearch({ SEARCH_BACKEND: 'typesense', TYPESENSE_URL: 'http://127.0.0.1:8108' }, shards)).toThrow(
      /TYPESENSE_API_KEY/,
    );
    expect(() => selectSearch({ SEARCH_BACKEND: 'elastic' }, shards)).toThrow(/SEARCH_BACKEND/);
  });
});
