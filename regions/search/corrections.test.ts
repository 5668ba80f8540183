import { describe, expect, it } from 'vitest';
import { correctedQuery, correctionsStatement, isCorrectable } from './corrections.ts';

describe('isCorrectable', () => {
  it('takes words of two letters or more, as the table keeps them', () => {
    expect(['li', 'lovelace', 'jean-luc', 'müller'].every(isCorrectable)).toBe(true);
  });

  it('leaves numbers, emails, addresses and single letters as typed', () => {
    expect(['a', '555', 'r2d2', 'ada@example.com', 'example.com', 'x'.repeat(65)].some(isCorrectable)).toBe(false);
  });
});

describe('correctedQuery', () => {
  it('asks for any correction of each word, and for every word', () => {
    const corrections = [
      { i: 0, word: 'ada' },
      { i: 1, word: 'lovelace' },
      { i: 1, word: 'lovelaces' },
    ];
    expect(correctedQuery('Ada Loelace', corrections)).toBe("'ada' & ('lovelace' | 'lovelaces')");
  });

  it('keeps a word it cannot correct as a prefix, and leaves out a word nothing resembles', () => {
    expect(correctedQuery('ada 555 zzyzx', [{ i: 0, word: 'ada' }])).toBe("'ada' & '555':*");
  });

  it('has nothing to ask when no word was corrected: the earlier tiers tried the words as typed', () => {
    expect(correctedQuery('zzyzx 555', [])).toBeNull();
  });

  it('quotes every correction as a literal', () => {
    expect(correctedQuery('ob', [{ i: 0, word: "o'b\\" }])).toBe("'o''b\\\\'");
  });
});

describe('correctionsStatement', () => {
  it('is not run when no typed word could be corrected', () => {
    expect(correctionsStatement('org', '555 a ada@example.com')).toBeNull();
    expect(correctionsStatement('org', 'ada 555')).not.toBeNull();
  });
});
