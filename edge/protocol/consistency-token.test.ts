import { describe, expect, it } from 'vitest';
import {
  formatLsn,
  formatToken,
  InvalidConsistencyToken,
  mergeTokens,
  parseLsn,
  parseToken,
} from './consistency-token.ts';

describe('consistency tokens', () => {
  it('reads and writes PostgreSQL LSNs exactly', () => {
    expect(parseLsn('0/16B3748')).toBe(0x16b3748n);
    expect(parseLsn('16/B374D848')).toBe((0x16n << 32n) | 0xb374d848n);
    expect(formatLsn(parseLsn('16/B374D848')!)).toBe('16/B374D848');
    expect(parseLsn('16-B374')).toBeNull();
    expect(parseLsn('123456789/0')).toBeNull();
  });

  it('round-trips shard positions, keeping the furthest of one shard named twice', () => {
    const token = parseToken('us-1@0/200, us-0@1/0,us-1@0/100');
    expect(token).toEqual(
      new Map([
        ['us-1', 0x200n],
        ['us-0', 1n << 32n],
      ]),
    );
    expect(formatToken(token)).toBe('us-0@1/0,us-1@0/200');
    expect(parseToken(undefined).size).toBe(0);
    expect(parseToken('  ').size).toBe(0);
  });

  it('merges by the furthest position of each shard', () => {
    const merged = mergeTokens(parseToken('us-0@0/300,eu-0@0/5'), parseToken('us-0@0/200,us-1@0/1'));
    expect(formatToken(merged)).toBe('eu-0@0/5,us-0@0/300,us-1@0/1');
  });

  it('refuses what it did not issue', () => {
    for (const bad of ['us-0', 'us-0@', '@0/1', 'US-0@0/1', 'us-0@0/1;drop', 'a@b@0/1', 'us-0@0/1,,']) {
      expect(() => parseToken(bad), bad).toThrow(InvalidConsistencyToken);
    }
    expect(() => parseToken(`${'us-0@0/1,'.repeat(65)}us-0@0/1`)).toThrow(InvalidConsistencyToken);
    expect(() => parseToken('x'.repeat(5000))).toThrow(InvalidConsistencyToken);
  });
});
