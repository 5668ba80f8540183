import { describe, expect, it } from 'vitest';
import { EXPANSIONS_PER_WORD, expansionsStatement, prefixesQuery } from './prefixes.ts';

describe('prefixesQuery', () => {
  it("makes the last word a prefix and each word before it any of the organization's words it begins", () => {
    const expansions = [
      { i: 0, word: 'ada' },
      { i: 0, word: 'adam' },
    ];
    expect(prefixesQuery('Ada Lov', expansions)).toBe("('ada' | 'adam') & 'lov':*");
  });

  it('keeps a word before the last as a prefix when it begins none of them, or too many', () => {
    const many = Array.from({ length: EXPANSIONS_PER_WORD + 1 }, (_, k) => ({ i: 1, word: `al${k}` }));
    expect(prefixesQuery('jsmith al lov', many)).toBe("'jsmith':* & 'al':* & 'lov':*");
  });

  it('is the plain prefix of a single word', () => {
    expect(prefixesQuery('lovel', [])).toBe("'lovel':*");
    expect(prefixesQuery(' ! ', [])).toBeNull();
  });
});

describe('expansionsStatement', () => {
  it('is not run for a single word, nor when no word before the last could be in the table', () => {
    expect(expansionsStatement('org', 'lovel')).toBeNull();
    expect(expansionsStatement('org', '555 lov')).toBeNull();
    expect(expansionsStatement('org', 'ada lov')).not.toBeNull();
  });
});
