import { describe, expect, it } from 'vitest';
import { ApiError } from '../../openapi/errors.ts';
import { parseFilterValue } from './filters.ts';
import { type FieldDefinition, isCalendarDate, validateCustomFields } from './values.ts';

const def = (key: string, type: FieldDefinition['type'], extra: Partial<FieldDefinition> = {}): FieldDefinition => ({
  entity: 'company',
  key,
  type,
  options: type === 'select' || type === 'multi_select' ? ['a', 'b', 'c'] : null,
  required: false,
  ...extra,
});
const defs = [
  def('note', 'text'),
  def('seats', 'number'),
  def('renewal', 'date'),
  def('tier', 'select'),
  def('regions', 'multi_select'),
  def('active', 'boolean'),
  def('must', 'text', { required: true }),
  def('other_entity', 'text', { entity: 'lead' }),
];

function issuesOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('validation_failed');
    return (error as ApiError).details!;
  }
  throw new Error('expected a validation error');
}

describe('validateCustomFields', () => {
  it('normalises every type', () => {
    const values = validateCustomFields(
      defs,
      'company',
      {
        note: '  hi ',
        seats: 12.5,
        renewal: '2026-02-28',
        tier: 'a',
        regions: ['b', 'a', 'b'],
        active: false,
        must: 'x',
      },
      { partial: false },
    );
    expect(values).toEqual({
      note: 'hi',
      seats: 12.5,
      renewal: '2026-02-28',
      tier: 'a',
      regions: ['b', 'a'],
      active: false,
      must: 'x',
    });
  });

  it('names each bad value', () => {
    const details = issuesOf(() =>
      validateCustomFields(
        defs,
        'company',
        { note: 5, seats: '5', renewal: '2026-02-30', tier: 'z', regions: ['a', 'z'], active: 'yes', must: 'x' },
        { partial: false },
      ),
    );
    expect(details.map((d) => d.path).sort()).toEqual(
      ['active', 'note', 'regions', 'renewal', 'seats', 'tier'].map((k) => `customFields.${k}`),
    );
  });

  it('refuses unknown keys and keys of another entity', () => {
    const details = issuesOf(() =>
      validateCustomFields(defs, 'company', { must: 'x', nope: 1, other_entity: 'y' }, { partial: false }),
    );
    expect(details).toEqual([
      { path: 'customFields.nope', message: 'Unknown custom field' },
      { path: 'customFields.other_entity', message: 'Unknown custom field' },
    ]);
  });

  it('enforces required fields on create only', () => {
    expect(issuesOf(() => validateCustomFields(defs, 'company', undefined, { partial: false }))).toEqual([
      { path: 'customFields.must', message: 'Required' },
    ]);
    expect(validateCustomFields(defs, 'company', { seats: 1 }, { partial: true, current: {} })).toEqual({ seats: 1 });
  });

  it('merges a patch and removes values set to null, but never a required one', () => {
    const current = { must: 'x', seats: 3, note: 'keep' };
    expect(validateCustomFields(defs, 'company', { seats: null, tier: 'b' }, { partial: true, current })).toEqual({
      must: 'x',
      note: 'keep',
      tier: 'b',
    });
    expect(issuesOf(() => validateCustomFields(defs, 'company', { must: null }, { partial: true, current }))).toEqual([
      { path: 'customFields.must', message: 'Required' },
    ]);
  });

  it('checks calendar dates', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2023-02-29')).toBe(false);
    expect(isCalendarDate('2024-2-1')).toBe(false);
  });
});

describe('parseFilterValue', () => {
  it('parses by type', () => {
    expect(parseFilterValue(def('n', 'number'), '4.5')).toEqual({ value: 4.5 });
    expect(parseFilterValue(def('n', 'number'), 'x')).toHaveProperty('message');
    expect(parseFilterValue(def('n', 'number'), '')).toHaveProperty('message');
    expect(parseFilterValue(def('b', 'boolean'), 'true')).toEqual({ value: true });
    expect(parseFilterValue(def('b', 'boolean'), 'yes')).toHaveProperty('message');
    expect(parseFilterValue(def('d', 'date'), '2026-13-01')).toHaveProperty('message');
    expect(parseFilterValue(def('m', 'multi_select'), 'a')).toEqual({ value: ['a'] });
    expect(parseFilterValue(def('t', 'text'), 'hello')).toEqual({ value: 'hello' });
  });
});
