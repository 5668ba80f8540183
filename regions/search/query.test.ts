import { describe, expect, it } from 'vitest';
import { exactQuery, prefixQuery } from './query.ts';

describe('prefixQuery', () => {
  it('makes every word a prefix that must match', () => {
    expect(prefixQuery('Ada  Love')).toBe("'ada':* & 'love':*");
  });

  it('keeps emails whole, so they match as one word', () => {
    expect(prefixQuery('ada@example.com')).toBe("'ada@example.com':*");
  });

  it('never lets input act as a tsquery operator or break out of a literal', () => {
    expect(prefixQuery("a' | b:* & !c (d)")).toBe("'a':* & 'b':* & 'c':* & 'd':*");
    expect(prefixQuery(`x\\' OR 1=1 --`)).toBe("'x':* & 'or':* & '1=1':* & '--':*");
  });

  it('has nothing to search for in blanks and operators alone', () => {
    expect(prefixQuery('  & | ! ')).toBeNull();
  });

  it('bounds the number and length of words', () => {
    expect(prefixQuery('w '.repeat(20))!.split('&')).toHaveLength(8);
    expect(prefixQuery('x'.repeat(200))).toBe(`'${'x'.repeat(64)}':*`);
  });
});

describe('exactQuery', () => {
  it('asks for every word whole, with the same quoting as prefixQuery', () => {
    expect(exactQuery('Ada  Lovelace')).toBe("'ada' & 'lovelace'");
    expect(exactQuery("a' | b:*")).toBe("'a' & 'b'");
    expect(exactQuery(' ! ')).toBeNull();
  });
});
