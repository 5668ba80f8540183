import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvLines, safeCell } from './cells.ts';

describe('safeCell', () => {
  it('defuses anything a spreadsheet would run as a formula', () => {
    for (const attack of ['=1+1', '+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1', '=HYPERLINK("http://x","y")']) {
      expect(safeCell(attack)).toBe(`'${attack}`);
    }
  });

  it('leaves ordinary text, numbers, booleans and dates alone, and joins arrays', () => {
    expect(safeCell('Ada')).toBe('Ada');
    expect(safeCell('a=b')).toBe('a=b');
    expect(safeCell(42)).toBe('42');
    expect(safeCell(false)).toBe('false');
    expect(safeCell(null)).toBe('');
    expect(safeCell(new Date('2026-01-02T03:04:05.000Z'))).toBe('2026-01-02T03:04:05.000Z');
    expect(safeCell(['vip', 'emea'])).toBe('vip;emea');
  });
});

describe('csvLines', () => {
  it('quotes what needs quoting, so a parser reads back exactly the cells', () => {
    const rows = [
      ['a,b', 'say "hi"', 'two\nlines', '=cmd'],
      ['', 'plain', 'ünïcödé', 'x'],
    ];
    expect(parse(csvLines(rows))).toEqual([
      ['a,b', 'say "hi"', 'two\nlines', "'=cmd"],
      ['', 'plain', 'ünïcödé', 'x'],
    ]);
  });
});
