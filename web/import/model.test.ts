import { describe, expect, it } from 'vitest';
import {
  draftOf,
  fieldLabel,
  fileProblem,
  hasProblems,
  MAX_UPLOAD_BYTES,
  mappingPatch,
  mappingProblems,
  percentDone,
  previewCells,
} from './model.ts';

const custom = [
  { key: 'seats', label: 'Seats', required: true },
  { key: 'tier', label: 'Tier', required: false },
];

describe('import page model', () => {
  it('names fields for people: built-in by name, custom by label', () => {
    expect(fieldLabel('firstName', custom)).toBe('First name');
    expect(fieldLabel('cf.seats', custom)).toBe('Seats');
    expect(fieldLabel('cf.gone', custom)).toBe('gone');
  });

  it('starts from the suggested mapping and sends every column, null for the ones left out', () => {
    const draft = draftOf({ headers: ['Name', 'E-mail', 'Notes'], mapping: { 'E-mail': 'email' } });
    expect(draft).toEqual({ Name: '', 'E-mail': 'email', Notes: '' });
    expect(mappingPatch(['Name', 'E-mail', 'Notes'], { ...draft, Name: 'fullName' })).toEqual({
      Name: 'fullName',
      'E-mail': 'email',
      Notes: null,
    });
  });

  it('holds back a mapping without an identifying field, with a field twice, or missing a required custom field', () => {
    const headers = ['A', 'B', 'C'];
    const none = mappingProblems('lead', headers, { A: 'company', B: '', C: 'cf.seats' }, custom, 'skip');
    expect(none.general).toEqual([expect.stringMatching(/^Map a column to at least one of: First name/)]);
    const twice = mappingProblems('lead', headers, { A: 'email', B: 'email', C: 'cf.seats' }, custom, 'skip');
    expect(twice.columns).toEqual({ B: 'Email is already mapped from “A”' });
    expect(twice.general).toEqual([]);
    const required = mappingProblems('lead', headers, { A: 'email', B: '', C: '' }, custom, 'skip');
    expect(required.general).toEqual(['Seats is required for new records: map a column to it.']);
    // Rows that update an existing record may leave a required field out.
    expect(hasProblems(mappingProblems('lead', headers, { A: 'email', B: '', C: '' }, custom, 'update'))).toBe(false);
    expect(mappingProblems('company', headers, { A: 'domain', B: '', C: '' }, [], 'skip').general).toEqual([
      'Map a column to at least one of: Name.',
    ]);
  });

  it('flattens preview values for the table', () => {
    expect(previewCells({ firstName: 'Ada', tags: ['a', 'b'], email: null, customFields: { seats: 12 } })).toEqual({
      firstName: 'Ada',
      tags: 'a; b',
      email: '',
      'cf.seats': '12',
    });
  });

  it('says how far an import is', () => {
    expect(percentDone({ processedRows: 250, totalRows: 1000, status: 'running' })).toBe(25);
    expect(percentDone({ processedRows: 0, totalRows: 0, status: 'completed' })).toBe(100);
    expect(percentDone({ processedRows: 0, totalRows: null, status: 'queued' })).toBe(0);
  });

  it('refuses files that are not CSV, empty or over the limit before uploading', () => {
    expect(fileProblem(null)).toMatch(/Choose a CSV file/);
    expect(fileProblem({ name: 'leads.csv', size: 10, type: '' })).toBeNull();
    expect(fileProblem({ name: 'export', size: 10, type: 'text/csv' })).toBeNull();
    expect(fileProblem({ name: 'photo.png', size: 10, type: 'image/png' })).toMatch(/not a CSV file/);
    expect(fileProblem({ name: 'sheet.xlsx', size: 10, type: '' })).toMatch(/not a CSV file/);
    expect(fileProblem({ name: 'leads.csv', size: 0, type: 'text/csv' })).toMatch(/empty/);
    expect(fileProblem({ name: 'leads.csv', size: MAX_UPLOAD_BYTES + 1, type: 'text/csv' })).toMatch(
      /files up to 128\.0 MB/,
    );
  });
});
