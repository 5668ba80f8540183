import { describe, expect, it } from 'vitest';
import type { FieldDefinition } from '../custom-fields/values.ts';
import { checkCustomCells, parseCustomCell } from './custom-values.ts';

const def = (key: string, type: FieldDefinition['type'], extra: Partial<FieldDefinition> = {}): FieldDefinition => ({
  entity: 'lead',
  key,
  type,
  options: type === 'select' || type === 'multi_select' ? ['Gold', 'Silver', 'Bronze, plated'] : null,
  required: false,
  ...extra,
});

describe('parseCustomCell', () => {
  it('reads numbers in plain decimal notation only', () => {
    for (const [text, value] of [
      ['42', 42],
      ['-3.5', -3.5],
      ['+.5', 0.5],
      ['1e3', 1000],
      ['007', 7],
    ] as const) {
      expect(parseCustomCell(def('n', 'number'), text), text).toEqual({ ok: true, value });
    }
    for (const text of ['1,234', '12 000', 'ten', '0x1f', 'Infinity', '1e999', '.', '--1']) {
      expect(parseCustomCell(def('n', 'number'), text).ok, text).toBe(false);
    }
  });

  it('reads true/false, yes/no and 1/0 in any case as booleans, and nothing else', () => {
    for (const text of ['true', 'TRUE', 'Yes', '1'])
      expect(parseCustomCell(def('b', 'boolean'), text)).toEqual({ ok: true, value: true });
    for (const text of ['false', 'No', '0'])
      expect(parseCustomCell(def('b', 'boolean'), text)).toEqual({ ok: true, value: false });
    for (const text of ['y', 'maybe', '2', 'on'])
      expect(parseCustomCell(def('b', 'boolean'), text).ok, text).toBe(false);
  });

  it('matches select options without regard to case and splits multi-select cells on ";" only', () => {
    expect(parseCustomCell(def('s', 'select'), 'gold')).toEqual({ ok: true, value: 'Gold' });
    expect(parseCustomCell(def('s', 'select'), 'Platinum')).toEqual({ ok: true, value: 'Platinum' });
    expect(parseCustomCell(def('m', 'multi_select'), 'gold; BRONZE, PLATED ;;silver')).toEqual({
      ok: true,
      value: ['Gold', 'Bronze, plated', 'Silver'],
    });
  });
});

describe('checkCustomCells', () => {
  const definitions = [
    def('note', 'text'),
    def('seats', 'number'),
    def('renewal', 'date'),
    def('tier', 'select'),
    def('regions', 'multi_select'),
    def('active', 'boolean'),
    def('must', 'text', { required: true }),
  ];

  it('normalises good cells with the definitions', () => {
    const checked = checkCustomCells(definitions, {
      note: 'hello',
      seats: '12',
      renewal: '2026-02-28',
      tier: 'silver',
      regions: 'gold;gold;silver',
      active: 'yes',
      must: 'x',
    });
    expect(checked.issues).toEqual([]);
    expect(checked.missingRequired).toEqual([]);
    expect(checked.values).toEqual({
      note: 'hello',
      seats: 12,
      renewal: '2026-02-28',
      tier: 'Silver',
      regions: ['Gold', 'Silver'],
      active: true,
      must: 'x',
    });
  });

  it('names every bad cell by key, shows its text, and tells apart a missing required field', () => {
    const checked = checkCustomCells(definitions, {
      seats: 'a dozen',
      renewal: '2026-02-30',
      tier: 'Platinum',
      regions: 'gold;tin',
      active: 'perhaps',
      gone: 'x',
      note: 'a'.repeat(2001),
    });
    expect(checked.issues.map((i) => i.key).sort()).toEqual(
      ['active', 'gone', 'note', 'regions', 'renewal', 'seats', 'tier'].sort(),
    );
    expect(checked.issues.find((i) => i.key === 'renewal')!.message).toBe('Expected a date as YYYY-MM-DD');
    expect(checked.issues.find((i) => i.key === 'tier')!.message).toMatch(/^Expected one of: Gold, Silver/);
    expect(checked.issues.find((i) => i.key === 'gone')!.message).toBe('Unknown custom field');
    expect(checked.values).toEqual({});
    expect(checked.shown.seats).toBe('a dozen');
    expect(checked.missingRequired).toEqual([{ key: 'must', message: 'Required' }]);
  });
});
