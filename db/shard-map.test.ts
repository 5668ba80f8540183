import { describe, expect, it } from 'vitest';
import { newId } from './ids.ts';
import { BUCKET_COUNT, bucketOf, initialShardMap, shardIdFor, validateShardMap } from './shard-map.ts';

describe('bucketOf', () => {
  it('is stable for a given id (pinned values guard against accidental changes)', () => {
    expect(bucketOf('00000000-0000-0000-0000-000000000000')).toBe(bucketOf('00000000000000000000000000000000'));
    expect(bucketOf('0193a5f2-0c1e-7a2b-9d1e-3f4a5b6c7d8e')).toBe(bucketOf('0193A5F2-0C1E-7A2B-9D1E-3F4A5B6C7D8E'));
    expect(bucketOf('0193a5f2-0c1e-7a2b-9d1e-3f4a5b6c7d8e')).toBe(89);
  });

  it('spreads UUIDv7 ids over every bucket roughly evenly', () => {
    const counts = new Array(BUCKET_COUNT).fill(0);
    for (let i = 0; i < 51_200; i++) counts[bucketOf(newId())]++;
    expect(Math.min(...counts)).toBeGreaterThan(100);
    expect(Math.max(...counts)).toBeLessThan(320);
  });

  it('rejects what is not a UUID', () => {
    expect(() => bucketOf('nope')).toThrow(/not a UUID/);
  });
});

describe('shard map', () => {
  it('assigns contiguous, even bucket ranges', () => {
    const map = initialShardMap('us', ['us-0', 'us-1']);
    expect(map.buckets.filter((s) => s === 0)).toHaveLength(128);
    expect(map.buckets[0]).toBe(0);
    expect(map.buckets[255]).toBe(1);
  });

  it('routes an organization to the shard of its bucket', () => {
    const map = initialShardMap('us', ['us-0', 'us-1', 'us-2']);
    const id = newId();
    expect(shardIdFor(map, id)).toBe(map.shardIds[map.buckets[bucketOf(id)]!]);
  });

  it('refuses a configuration that drops a shard still holding buckets, and allows adding one', () => {
    const map = initialShardMap('us', ['us-0', 'us-1']);
    expect(validateShardMap(map, ['us-0'])).toEqual(['shard us-1 holds buckets but is not configured']);
    expect(validateShardMap(map, ['us-0', 'us-1', 'us-2'])).toEqual([]);
  });
});
