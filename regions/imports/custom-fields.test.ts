import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { uploadCsv, waitForImport } from './test-support.ts';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startTestStack({ workers: 'batch' });
  api = apiClient(stack.edgeUrl);
});
afterAll(() => stack?.stop());

async function define(token: string, body: Record<string, unknown>) {
  const made = await api.call('POST', '/api/v1/custom-fields', { token, body });
  expect(made.status, JSON.stringify(made.data)).toBe(201);
  return made.data as { id: string; key: string };
}

async function startAndWait(token: string, id: string) {
  const started = await api.call('POST', `/api/v1/imports/${id}/start`, { token });
  expect(started.status, JSON.stringify(started.data)).toBe(202);
  return waitForImport(api, token, id);
}

async function errorReport(token: string, url: string) {
  const reply = await fetch(`${stack.edgeUrl}${url}`, { headers: { authorization: `Bearer ${token}` } });
  expect(reply.status).toBe(200);
  return parse(await reply.text()) as string[][];
}

const leadFields = [
  { key: 'seats', label: 'Licensed seats', type: 'number' },
  { key: 'tier', label: 'Account tier', type: 'select', options: ['Gold', 'Silver', 'Bronze'] },
  { key: 'regions', label: 'Regions', type: 'multi_select', options: ['EMEA', 'APAC', 'AMER'] },
  { key: 'renewal', label: 'Renewal date', type: 'date' },
  { key: 'active', label: 'Active', type: 'boolean' },
  { key: 'notes', label: 'Notes taken', type: 'text' },
];

const leadsCsv = [
  'First Name,Email,Seats,Account Tier,Regions,Renewal Date,Active,Background',
  'Ada,ada@cf.example,12,gold,EMEA; apac,2026-03-31,yes,Met at the fair',
  'Bad Seats,seats@cf.example,a dozen,Silver,,,,',
  'Grace,grace@cf.example,,,,,0,',
  'Bad Tier,tier@cf.example,3,Platinum,,,,',
  'Bad Everything,not-an-email,1.5,,EMEA;Mars,2026-02-30,maybe,',
  'Alan,alan@cf.example,-2.5,BRONZE,amer,2027-01-01,TRUE,"Codes; ciphers"',
].join('\n');

describe('importing custom fields', () => {
  it('suggests, maps, previews and imports custom fields, reporting bad values by line and column', async () => {
    const { token } = await api.signup('import-cf');
    for (const field of leadFields) await define(token, { entity: 'lead', ...field });
    const made = await uploadCsv(stack.edgeUrl, token, leadsCsv, 'lead');
    expect(made.status, JSON.stringify(made.data)).toBe(201);
    expect(made.data.mapping).toEqual({
      'First Name': 'firstName',
      Email: 'email',
      Seats: 'cf.seats',
      'Account Tier': 'cf.tier',
      Regions: 'cf.regions',
      'Renewal Date': 'cf.renewal',
      Active: 'cf.active',
    });
    expect(made.data.fields).toEqual(
      expect.arrayContaining(['firstName', 'email', 'cf.seats', 'cf.tier', 'cf.regions', 'cf.notes']),
    );
    const id = made.data.id;

    // "Background" names neither the key nor the label of the text field `notes`: it is mapped by hand.
    const patched = await api.call('PATCH', `/api/v1/imports/${id}`, {
      token,
      body: { mapping: { ...made.data.mapping, Background: 'cf.notes' } },
    });
    expect(patched.status, JSON.stringify(patched.data)).toBe(200);

    const preview = await api.call('POST', `/api/v1/imports/${id}/preview`, { token });
    expect(preview.status).toBe(200);
    expect(preview.data).toMatchObject({ validRows: 3, invalidRows: 3 });
    expect(preview.data.rows[0]).toEqual({
      line: 2,
      values: {
        firstName: 'Ada',
        email: 'ada@cf.example',
        customFields: {
          seats: 12,
          tier: 'Gold',
          regions: ['EMEA', 'APAC'],
          renewal: '2026-03-31',
          active: true,
          notes: 'Met at the fair',
        },
      },
      errors: [],
    });
    expect(preview.data.rows[1]).toMatchObject({
      line: 3,
      values: { customFields: { seats: 'a dozen', tier: 'Silver' } },
      errors: [{ field: 'Seats', message: 'Expected a number such as 1234.5' }],
    });
    expect(preview.data.rows[3].errors).toEqual([
      { field: 'Account Tier', message: expect.stringMatching(/^Expected one of: Gold/) },
    ]);
    expect(preview.data.rows[4].errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'Active',
      'Email',
      'Regions',
      'Renewal Date',
    ]);

    const done = await startAndWait(token, id);
    expect(done).toMatchObject({ status: 'completed', processedRows: 6, createdRows: 3, failedRows: 3 });
    const report = await errorReport(token, done.errorsUrl);
    expect(report.slice(1).map((r) => r[0])).toEqual(['3', '5', '6']);
    expect(report[1]![1]).toBe('Seats: Expected a number such as 1234.5');
    expect(report[2]![1]).toMatch(/^Account Tier: Expected one of: Gold, Silver, Bronze$/);
    expect(report[3]![1]).toMatch(/E-mail|Email/);
    expect(report[3]![1]).toContain('Regions: Expected a list of: EMEA, APAC, AMER');
    expect(report[3]![1]).toContain('Renewal Date: Expected a date as YYYY-MM-DD');
    expect(report[3]![1]).toContain('Active: Expected true/false, yes/no or 1/0');

    const leads = await api.call('GET', '/api/v1/leads?limit=50', { token });
    const byEmail = new Map(leads.data.data.map((l: { email: string }) => [l.email, l]));
    expect(leads.data.data).toHaveLength(3);
    expect(byEmail.get('ada@cf.example')).toMatchObject({
      customFields: {
        seats: 12,
        tier: 'Gold',
        regions: ['EMEA', 'APAC'],
        renewal: '2026-03-31',
        active: true,
        notes: 'Met at the fair',
      },
    });
    expect(byEmail.get('grace@cf.example')).toMatchObject({ customFields: { active: false } });
    expect(byEmail.get('alan@cf.example')).toMatchObject({
      customFields: { seats: -2.5, tier: 'Bronze', regions: ['AMER'], active: true, notes: 'Codes; ciphers' },
    });
    // The imported values are the API's own: a filter on them finds the records.
    const gold = await api.call('GET', '/api/v1/leads?cf.tier=Gold', { token });
    expect(gold.data.data.map((l: { email: string }) => l.email)).toEqual(['ada@cf.example']);
  });

  it('needs required custom fields to create a record, not to update one, and merges on update', async () => {
    const { token } = await api.signup('import-cf-required');
    await define(token, {
      entity: 'contact',
      key: 'segment',
      label: 'Segment',
      type: 'select',
      options: ['smb', 'ent'],
      required: true,
    });
    await define(token, { entity: 'contact', key: 'score', label: 'Score', type: 'number' });
    const existing = await api.call('POST', '/api/v1/contacts', {
      token,
      body: { firstName: 'Ada', email: 'ada@req.example', customFields: { segment: 'ent', score: 1 } },
    });
    expect(existing.status, JSON.stringify(existing.data)).toBe(201);
    const csv = [
      'Name,Email,Segment,Score',
      'Ada Lovelace,ada@req.example,,7',
      'Grace Hopper,grace@req.example,,3',
      'Alan Turing,alan@req.example,SMB,',
    ].join('\n');
    const made = await uploadCsv(stack.edgeUrl, token, csv, 'contact');
    expect(made.data.mapping).toMatchObject({ Segment: 'cf.segment', Score: 'cf.score' });
    const preview = await api.call('POST', `/api/v1/imports/${made.data.id}/preview`, { token });
    // The preview checks every row as a new record.
    expect(preview.data.rows.map((r: { errors: unknown[] }) => r.errors)).toEqual([
      [{ field: 'Segment', message: 'Required' }],
      [{ field: 'Segment', message: 'Required' }],
      [],
    ]);
    const patched = await api.call('PATCH', `/api/v1/imports/${made.data.id}`, {
      token,
      body: { options: { onDuplicate: 'update' } },
    });
    expect(patched.status, JSON.stringify(patched.data)).toBe(200);
    const done = await startAndWait(token, made.data.id);
    expect(done).toMatchObject({ status: 'completed', createdRows: 1, updatedRows: 1, failedRows: 1 });
    const report = await errorReport(token, done.errorsUrl);
    expect(report.slice(1).map((r) => [r[0], r[1]])).toEqual([['3', 'Segment: Required']]);
    const ada = await api.call('GET', `/api/v1/contacts/${existing.data.id}`, { token });
    expect(ada.data).toMatchObject({ lastName: 'Lovelace', customFields: { segment: 'ent', score: 7 }, version: 2 });
    const people = await api.call('GET', '/api/v1/contacts', { token });
    const alan = people.data.data.find((c: { email: string }) => c.email === 'alan@req.example');
    expect(alan).toMatchObject({ customFields: { segment: 'smb' } });
    expect(people.data.data).toHaveLength(2);
  });

  it('refuses a mapping to a custom field the entity does not have, also when it is deleted before the start', async () => {
    const { token } = await api.signup('import-cf-mapping');
    const field = await define(token, { entity: 'company', key: 'tier', label: 'Tier', type: 'text' });
    await define(token, { entity: 'lead', key: 'lead_only', label: 'Lead only', type: 'text' });
    const made = await uploadCsv(stack.edgeUrl, token, 'Name,Tier,Other\nAcme,gold,x\n', 'company');
    expect(made.data.mapping).toEqual({ Name: 'name', Tier: 'cf.tier' });
    const path = `/api/v1/imports/${made.data.id}`;
    const bad = await api.call('PATCH', path, {
      token,
      body: { mapping: { Name: 'name', Tier: 'cf.tier', Other: 'cf.lead_only' } },
    });
    expectError(bad, 400, 'validation_failed');
    expect(bad.data.error.details).toEqual([
      { path: 'mapping.Other', message: 'No custom field of a company has the key "lead_only"' },
    ]);
    expect((await api.call('DELETE', `/api/v1/custom-fields/${field.id}`, { token })).status).toBe(204);
    const refused = await api.call('POST', `${path}/start`, { token });
    expectError(refused, 400, 'validation_failed');
    expect(refused.data.error.details[0].path).toBe('mapping.Tier');
    expect((await api.call('GET', path, { token })).data).toMatchObject({
      status: 'uploaded',
      fields: expect.not.arrayContaining(['cf.tier']),
    });
  });
});
