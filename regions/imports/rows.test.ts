import { describe, expect, it } from 'vitest';
import type { FieldDefinition } from '../custom-fields/values.ts';
import { checkRow, describeIssues, rowToValues, splitFullName } from './rows.ts';

describe('rowToValues', () => {
  const headers = ['Name', 'E-mail', 'Company name', 'Status', 'Notes'];
  const mapping = { Name: 'fullName', 'E-mail': 'email', 'Company name': 'company', Status: 'status' };

  it('puts each mapped, non-empty, trimmed cell under its field', () => {
    expect(rowToValues(headers, ['Ada Lovelace', ' ada@analytical.example ', '', 'Qualified', 'x'], mapping)).toEqual({
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@analytical.example',
      status: 'qualified',
    });
  });

  it('lets first and last name columns win over a full name, and ignores missing and extra cells', () => {
    const withNames = { ...mapping, First: 'firstName' };
    expect(rowToValues([...headers, 'First'], ['Ada Lovelace', '', '', '', '', 'Augusta'], withNames)).toEqual({
      firstName: 'Augusta',
    });
    expect(rowToValues(headers, ['Grace'], mapping)).toEqual({ firstName: 'Grace' });
    expect(rowToValues(['Name'], ['Grace', 'extra', 'cells'], mapping)).toEqual({ firstName: 'Grace' });
  });

  it('gathers address parts, splits tags and reads consent words', () => {
    const companyMapping = { Company: 'name', City: 'city', Country: 'country', Tags: 'tags' };
    expect(
      rowToValues(['Company', 'City', 'Country', 'Tags'], ['Acme', 'London', 'gb', 'a; b,c'], companyMapping),
    ).toEqual({
      name: 'Acme',
      address: { city: 'London', country: 'gb' },
      tags: ['a', 'b', 'c'],
    });
    const consent = { Email: 'email', 'Opt in': 'marketingEmailConsent' };
    expect(rowToValues(['Email', 'Opt in'], ['a@b.example', 'Yes'], consent)).toEqual({
      email: 'a@b.example',
      marketingEmailConsent: true,
      consentSource: 'import',
    });
    expect(rowToValues(['Email', 'Opt in'], ['a@b.example', 'no'], consent)).toMatchObject({
      marketingEmailConsent: false,
    });
  });
});

describe('splitFullName', () => {
  it('takes the first word as the given name', () => {
    expect(splitFullName('Ludwig van Beethoven')).toEqual({ firstName: 'Ludwig', lastName: 'van Beethoven' });
    expect(splitFullName(' Cher ')).toEqual({ firstName: 'Cher' });
  });
});

describe('checkRow', () => {
  it('validates with the create schema and names the column at fault', () => {
    const mapping = { 'E-mail': 'email', Name: 'fullName' };
    const bad = checkRow('lead', { firstName: 'Ada', email: 'not-an-email' }, mapping);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors).toEqual([{ field: 'E-mail', message: expect.any(String) }]);
    const nameless = checkRow('lead', { company: 'Acme' }, mapping);
    expect(nameless.ok).toBe(false);
    if (!nameless.ok) expect(describeIssues(nameless.errors)).toMatch(/^Name: Give at least a name/);
  });

  it('gives a valid row its dedupe key: the email of a person, the domain of a company', () => {
    const lead = checkRow('lead', { firstName: 'Ada', email: 'Ada@Analytical.example' }, {});
    expect(lead).toMatchObject({ ok: true, key: 'ada@analytical.example' });
    expect(checkRow('contact', { firstName: 'Ada' }, {})).toMatchObject({ ok: true, key: null });
    const company = checkRow('company', { name: 'Acme', domain: 'https://www.Acme.example/about' }, {});
    expect(company).toMatchObject({ ok: true, key: 'acme.example' });
  });

  it('refuses values the API would refuse: unknown status, bad country, consent words it cannot read', () => {
    expect(checkRow('lead', { firstName: 'A', status: 'hot' }, {}).ok).toBe(false);
    expect(checkRow('company', { name: 'A', address: { country: 'Narnia' } }, { Country: 'country' })).toMatchObject({
      ok: false,
      errors: expect.arrayContaining([expect.objectContaining({ field: 'Country' })]),
    });
    expect(checkRow('contact', { firstName: 'A', marketingEmailConsent: 'maybe' }, {}).ok).toBe(false);
  });
});

describe('custom field columns', () => {
  const definitions: FieldDefinition[] = [
    { entity: 'lead', key: 'seats', type: 'number', options: null, required: false },
    { entity: 'lead', key: 'tier', type: 'select', options: ['Gold', 'Silver'], required: false },
    { entity: 'lead', key: 'region_code', type: 'text', options: null, required: true },
  ];
  const headers = ['Email', 'Seats', 'Tier', 'Region'];
  const mapping = { Email: 'email', Seats: 'cf.seats', Tier: 'cf.tier', Region: 'cf.region_code' };
  const check = (cells: string[]) => checkRow('lead', rowToValues(headers, cells, mapping), mapping, definitions);

  it('puts cf.<key> cells under customFields as text, and checkRow reads them by their definitions', () => {
    expect(rowToValues(headers, ['a@b.example', ' 12 ', '', 'emea'], mapping)).toEqual({
      email: 'a@b.example',
      customFields: { seats: '12', region_code: 'emea' },
    });
    const good = check(['a@b.example', '12', 'gold', 'emea']);
    expect(good).toMatchObject({
      ok: true,
      createIssues: [],
      input: { email: 'a@b.example', customFields: { seats: 12, tier: 'Gold', region_code: 'emea' } },
      values: { customFields: { seats: 12, tier: 'Gold', region_code: 'emea' } },
    });
  });

  it('blames the column of each bad value, alongside the built-in fields', () => {
    const bad = check(['not-an-email', 'many', 'Platinum', 'emea']);
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.errors.map((e) => e.field).sort()).toEqual(['Email', 'Seats', 'Tier']);
      expect(describeIssues(bad.errors)).toContain('Seats: Expected a number');
      expect(bad.values.customFields).toEqual({ seats: 'many', tier: 'Platinum', region_code: 'emea' });
    }
  });

  it('lets a row without a required custom field through, unable to create a record (it may update one)', () => {
    const row = check(['a@b.example', '', '', '']);
    expect(row).toMatchObject({ ok: true, createIssues: [{ field: 'Region', message: 'Required' }] });
    const unmapped = checkRow('lead', { email: 'a@b.example' }, { Email: 'email' }, definitions);
    expect(unmapped).toMatchObject({ ok: true, createIssues: [{ field: 'cf.region_code', message: 'Required' }] });
  });
});
