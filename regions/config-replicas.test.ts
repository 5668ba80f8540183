import { describe, expect, it } from 'vitest';
import { regionConfigFromEnv } from './config.ts';

const env = {
  REGION: 'us',
  EDGE_SHARED_SECRET: 'x'.repeat(32),
  SHARD_URLS: 'postgres://crm_app:pw@a/crm_us_0,postgres://crm_app:pw@b/crm_us_1',
};

describe('SHARD_REPLICA_URLS', () => {
  it('is optional, and names each shard’s replica by position (an empty entry: none)', () => {
    expect(regionConfigFromEnv(env).shardReplicaUrls).toBeUndefined();
    expect(
      regionConfigFromEnv({ ...env, SHARD_REPLICA_URLS: ',postgres://crm_app:pw@b-replica/crm_us_1' }).shardReplicaUrls,
    ).toEqual(['', 'postgres://crm_app:pw@b-replica/crm_us_1']);
  });

  it('refuses more replicas than shards, and anything but PostgreSQL', () => {
    expect(() =>
      regionConfigFromEnv({ ...env, SHARD_REPLICA_URLS: 'postgres://r/0,postgres://r/1,postgres://r/2' }),
    ).toThrow(/3 replicas for 2 shards/);
    expect(() => regionConfigFromEnv({ ...env, SHARD_REPLICA_URLS: 'pglite:memory:' })).toThrow(/hot standbys/);
  });
});
