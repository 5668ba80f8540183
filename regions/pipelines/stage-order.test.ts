import { describe, expect, it } from 'vitest';
import { defaultProbability, keepsOpenStage, placeAt, renumber } from './stage-order.ts';

describe('placeAt', () => {
  const ids = ['a', 'b', 'c', 'd'];

  it('inserts a new id at the position, or last when the position is past the end', () => {
    expect(placeAt(ids, 'x', 0)).toEqual(['x', 'a', 'b', 'c', 'd']);
    expect(placeAt(ids, 'x', 2)).toEqual(['a', 'b', 'x', 'c', 'd']);
    expect(placeAt(ids, 'x', 4)).toEqual(['a', 'b', 'c', 'd', 'x']);
    expect(placeAt(ids, 'x', 99)).toEqual(['a', 'b', 'c', 'd', 'x']);
  });

  it('moves an existing id up or down, the others closing up behind it', () => {
    expect(placeAt(ids, 'c', 0)).toEqual(['c', 'a', 'b', 'd']);
    expect(placeAt(ids, 'a', 2)).toEqual(['b', 'c', 'a', 'd']);
    expect(placeAt(ids, 'a', 3)).toEqual(['b', 'c', 'd', 'a']);
    expect(placeAt(ids, 'b', 1)).toEqual(ids);
    expect(placeAt(ids, 'b', 50)).toEqual(['a', 'c', 'd', 'b']);
  });
});

describe('renumber', () => {
  it('returns only the stages whose position changes, so the positions end up 0…n-1', () => {
    const current = [
      { id: 'a', position: 0 },
      { id: 'b', position: 1 },
      { id: 'c', position: 2 },
    ];
    expect(renumber(current, ['a', 'b', 'c'])).toEqual([]);
    expect(renumber(current, ['c', 'a', 'b'])).toEqual([
      { id: 'c', position: 0 },
      { id: 'a', position: 1 },
      { id: 'b', position: 2 },
    ]);
    expect(renumber(current, ['a', 'c'])).toEqual([{ id: 'c', position: 1 }]);
  });

  it('closes gaps left by earlier positions and places new ids', () => {
    const gappy = [
      { id: 'a', position: 0 },
      { id: 'b', position: 4 },
    ];
    expect(renumber(gappy, ['a', 'n', 'b'])).toEqual([
      { id: 'n', position: 1 },
      { id: 'b', position: 2 },
    ]);
  });
});

describe('keepsOpenStage', () => {
  const stages = [
    { id: 'open1', kind: 'open' as const },
    { id: 'won', kind: 'won' as const },
    { id: 'lost', kind: 'lost' as const },
  ];

  it('refuses to remove or close the last open stage', () => {
    expect(keepsOpenStage(stages, { id: 'open1', kind: null })).toBe(false);
    expect(keepsOpenStage(stages, { id: 'open1', kind: 'won' })).toBe(false);
  });

  it('allows it while another open stage remains, and any change to a closed stage', () => {
    const two = [...stages, { id: 'open2', kind: 'open' as const }];
    expect(keepsOpenStage(two, { id: 'open1', kind: null })).toBe(true);
    expect(keepsOpenStage(two, { id: 'open1', kind: 'lost' })).toBe(true);
    expect(keepsOpenStage(stages, { id: 'won', kind: null })).toBe(true);
    expect(keepsOpenStage(stages, { id: 'lost', kind: 'open' })).toBe(true);
  });
});

describe('defaultProbability', () => {
  it('is 100 % for won stages and 0 % otherwise', () => {
    expect(defaultProbability('won')).toBe(100);
    expect(defaultProbability('lost')).toBe(0);
    expect(defaultProbability('open')).toBe(0);
  });
});
