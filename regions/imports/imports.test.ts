import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { uploadCsv, waitForImport } from './test-support.ts';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
type Session = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
let admin: Session;

const upload = (token: string, csv: string, entity: string | null, options?: Parameters<typeof uploadCsv>[4]) =>
  uploadCsv(stack.edgeUrl, token, csv, entity, options);

beforeAll(async () => {
  stack = await startTestStack({ workers: 'batch' });
  api = apiClient(stack.edgeUrl);
  admin = await api.signup('import');
});
afterAll(() => stack?.stop());

const leadsCsv = [
  'First Name,Surname,E-mail,Company name,Status,Notes',
  'Ada,Lovelace,ada@analytical.example,Analytical Engines,qualified,first',
  'Charles,Babbage,not-an-email,Difference Ltd,,bad email',
  ',,,Nameless Inc,,nobody',
  'Grace,Hopper,grace@navy.example,US Navy,hot,bad status',
  '"Alan ""the Enigma""",Turing,alan@bletchley.example,"Bletchley, Park",contacted,"two',
  'lines"',
  '=HYPERLINK("http://evil.example"),Injected,,,,',
].join('\r\n');

describe('CSV import of leads', () => {
  it('uploads, suggests a mapping, previews, imports the good rows and reports the bad ones by line', async () => {
    const { token } = await api.signup('import-flow');
    const made = await upload(token, leadsCsv, 'lead', { filename: 'trade show.csv' });
    expect(made.status, JSON.stringify(made.data)).toBe(201);
    expect(made.data).toMatchObject({
      entity: 'lead',
      status: 'uploaded',
      filename: 'trade show.csv',
      headers: ['First Name', 'Surname', 'E-mail', 'Company name', 'Status', 'Notes'],
      mapping: {
        'First Name': 'firstName',
        Surname: 'lastName',
        'E-mail': 'email',
        'Company name': 'company',
        Status: 'status',
      },
      totalRows: 6,
      processedRows: 0,
      errorsUrl: null,
    });
    expect(made.headers.get('location')).toBe(`/api/v1/imports/${made.data.id}`);
    const id = made.data.id;

    const preview = await api.call('POST', `/api/v1/imports/${id}/preview`, { token });
    expect(preview.status).toBe(200);
    expect(preview.data.validRows).toBe(3);
    expect(preview.data.invalidRows).toBe(3);
    expect(preview.data.rows.map((r: { line: number }) => r.line)).toEqual([2, 3, 4, 5, 6, 8]);
    expect(preview.data.rows[0]).toEqual({
      line: 2,
      values: {
        firstName: 'Ada',
        lastName: 'Lovelace',
        email: 'ada@analytical.example',
        company: 'Analytical Engines',
        status: 'qualified',
      },
      errors: [],
    });
    expect(preview.data.rows[1].errors).toEqual([{ field: 'E-mail', message: expect.any(String) }]);
    expect(preview.data.rows[2].errors[0].message).toMatch(/name, an email or a phone/);
    expect(preview.data.rows[3].errors).toEqual([{ field: 'Status', message: expect.any(String) }]);

    const started = await api.call('POST', `/api/v1/imports/${id}/start`, { token });
    expect(started.status, JSON.stringify(started.data)).toBe(202);
    expect(['queued', 'running', 'completed']).toContain(started.data.status);
    const done = await waitForImport(api, token, id);
    expect(done).toMatchObject({
      status: 'completed',
      totalRows: 6,
      processedRows: 6,
      createdRows: 3,
      updatedRows: 0,
      skippedRows: 0,
      failedRows: 3,
      errorsUrl: `/api/v1/imports/${id}/errors`,
    });
    expect(done.startedAt).not.toBeNull();
    expect(done.finishedAt).not.toBeNull();

    const leads = await api.call('GET', '/api/v1/leads?limit=50', { token });
    const byEmail = new Map(leads.data.data.map((l: { email: string }) => [l.email, l]));
    expect(leads.data.data).toHaveLength(3);
    expect(byEmail.get('ada@analytical.example')).toMatchObject({ firstName: 'Ada', status: 'qualified' });
    expect(byEmail.get('alan@bletchley.example')).toMatchObject({
      firstName: 'Alan "the Enigma"',
      company: 'Bletchley, Park',
    });
    expect(byEmail.get(null as never)).toMatchObject({ firstName: '=HYPERLINK("http://evil.example")' });

    const errors = await fetch(`${stack.edgeUrl}${done.errorsUrl}`, { headers: { authorization: `Bearer ${token}` } });
    expect(errors.status).toBe(200);
    expect(errors.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(errors.headers.get('content-disposition')).toMatch(/^attachment; filename="trade show-errors\.csv"/);
    const report = parse(await errors.text()) as string[][];
    expect(report[0]).toEqual(['line', 'reason', 'First Name', 'Surname', 'E-mail', 'Company name', 'Status', 'Notes']);
    expect(report.slice(1).map((r) => r[0])).toEqual(['3', '4', '5']);
    expect(report[1]![1]).toMatch(/^E-mail: /);
    expect(report[1]!.slice(2)).toEqual(['Charles', 'Babbage', 'not-an-email', 'Difference Ltd', '', 'bad email']);
    expect(report[3]![1]).toMatch(/^Status: /);
  });

  it('imports contacts (consent from the file) and companies (address, domain)', async () => {
    const { token } = await api.signup('import-kinds');
    const contacts = await upload(
      token,
      'Name,Email,Opt in,Tags\nAda Lovelace,ADA@example.com,yes,VIP; emea\nGrace Hopper,grace@example.com,no,\n',
      'contact',
    );
    expect(contacts.data.mapping).toEqual({
      Name: 'fullName',
      Email: 'email',
      'Opt in': 'marketingEmailConsent',
      Tags: 'tags',
    });
    expect((await api.call('POST', `/api/v1/imports/${contacts.data.id}/start`, { token })).status).toBe(202);
    expect(await waitForImport(api, token, contacts.data.id)).toMatchObject({ status: 'completed', createdRows: 2 });
    const people = await api.call('GET', '/api/v1/contacts', { token });
    const ada = people.data.data.find((c: { email: string }) => c.email === 'ada@example.com');
    expect(ada).toMatchObject({
      firstName: 'Ada',
      lastName: 'Lovelace',
      marketingEmailConsent: true,
      consentSource: 'import',
      tags: ['vip', 'emea'],
    });

    const companies = await upload(
      token,
      'Company name,Website,Employees,City,Country\nAnalytical Engines,https://www.analytical.example/about,11-50,London,gb\n',
      'company',
    );
    expect((await api.call('POST', `/api/v1/imports/${companies.data.id}/start`, { token })).status).toBe(202);
    expect(await waitForImport(api, token, companies.data.id)).toMatchObject({ status: 'completed', createdRows: 1 });
    const listed = await api.call('GET', '/api/v1/companies', { token });
    expect(listed.data.data[0]).toMatchObject({
      name: 'Analytical Engines',
      domain: 'analytical.example',
      size: '11-50',
      address: { city: 'London', country: 'GB' },
    });
  });

  it('sets the mapping and options with PATCH, checking them against the file, before the start only', async () => {
    const made = await upload(admin.token, 'Who,Addr,Extra\nAda,ada@x.example,1\n', 'lead');
    const id = made.data.id;
    expect(made.data.mapping).toEqual({});
    expectError(
      await api.call('POST', `/api/v1/imports/${id}/start`, { token: admin.token }),
      400,
      'mapping_incomplete',
    );
    const path = `/api/v1/imports/${id}`;
    const bad = await api.call('PATCH', path, {
      token: admin.token,
      body: { mapping: { Nope: 'email', Who: 'shoeSize', Addr: 'email', Extra: 'email' } },
    });
    expectError(bad, 400, 'validation_failed');
    expect(bad.data.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'mapping.Extra',
      'mapping.Nope',
      'mapping.Who',
    ]);
    expectError(await api.call('PATCH', path, { token: admin.token, body: { mapping: {}, extra: 1 } }), 400);
    expectError(
      await api.call('PATCH', path, { token: admin.token, body: { options: { onDuplicate: 'merge' } } }),
      400,
      'validation_failed',
    );
    const read = await api.call('GET', path, { token: admin.token });
    expectError(
      await api.call('PATCH', path, {
        token: admin.token,
        body: { options: { onDuplicate: 'update' } },
        headers: { 'if-match': '"v1"' },
      }),
      412,
      'precondition_failed',
    );
    const patched = await api.call('PATCH', path, {
      token: admin.token,
      body: { mapping: { Who: 'fullName', Addr: 'email', Extra: null }, options: { onDuplicate: 'update' } },
      headers: { 'if-match': read.headers.get('etag')! },
    });
    expect(patched.status, JSON.stringify(patched.data)).toBe(200);
    expect(patched.data).toMatchObject({
      mapping: { Who: 'fullName', Addr: 'email' },
      options: { onDuplicate: 'update' },
    });
    expect(patched.headers.get('etag')).not.toBe(read.headers.get('etag'));
    expect((await api.call('POST', `/api/v1/imports/${id}/start`, { token: admin.token })).status).toBe(202);
    await waitForImport(api, admin.token, id);
    expectError(
      await api.call('PATCH', path, { token: admin.token, body: { options: { onDuplicate: 'skip' } } }),
      409,
      'import_started',
    );
    expectError(
      await api.call('POST', `/api/v1/imports/${id}/start`, { token: admin.token }),
      409,
      'import_not_startable',
    );
    expectError(await api.call('POST', `/api/v1/imports/${id}/cancel`, { token: admin.token }), 409, 'import_finished');
  });

  it('refuses what is not a CSV it can read', async () => {
    expectError(
      await upload(admin.token, 'a,b\n1,2\n', 'lead', { type: 'image/png', filename: 'x.png' }),
      415,
      'unsupported_media_type',
    );
    expectError(await upload(admin.token, 'a,b\n1,"open\n', 'lead'), 400, 'invalid_csv');
    expectError(await upload(admin.token, '', 'lead'), 400, 'invalid_csv');
    expectError(await upload(admin.token, 'a,a\n1,2\n', 'lead'), 400, 'invalid_csv');
    expectError(await upload(admin.token, 'a,b\n1,2\n', 'deal'), 400, 'validation_failed');
    expectError(await upload(admin.token, 'a,b\n1,2\n', null), 400, 'validation_failed');
    const json = await api.call('POST', '/api/v1/imports', { token: admin.token, body: { entity: 'lead' } });
    expectError(json, 415, 'unsupported_media_type');
    // The default limit is 128 MiB; a file just over a lowered one shows the same check (counted as it streams).
    const limits = stack.regions.us!.ctx.uploadLimits;
    const configured = limits.importBytes;
    limits.importBytes = 1024 * 1024;
    try {
      const big = `a\n${'x'.repeat(limits.importBytes)}\n`;
      expectError(await upload(admin.token, big, 'lead'), 413, 'payload_too_large');
    } finally {
      limits.importBytes = configured;
    }
  });

  it('replays an upload retried with the same Idempotency-Key', async () => {
    const headers = { 'idempotency-key': api.unique('import') };
    const first = await upload(admin.token, 'Email\na@b.example\n', 'lead', { headers });
    const again = await upload(admin.token, 'Email\na@b.example\n', 'lead', { headers });
    expect(again.status).toBe(201);
    expect(again.data.id).toBe(first.data.id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expectError(await upload(admin.token, 'Email\nc@d.example\n', 'lead', { headers }), 422, 'idempotency_key_reused');
  });

  it('needs data:import: a manager may, a sales rep and a viewer may not', async () => {
    const manager = await api.member(admin.token, 'manager');
    const rep = await api.member(admin.token, 'sales_rep');
    const viewer = await api.member(admin.token, 'viewer');
    expect((await upload(manager.token, 'Email\nm@b.example\n', 'lead')).status).toBe(201);
    const made = await upload(admin.token, 'Email\nr@b.example\n', 'lead');
    for (const { token } of [rep, viewer]) {
      expectError(await upload(token, 'Email\nx@b.example\n', 'lead'), 403, 'forbidden');
      expectError(await api.call('GET', `/api/v1/imports/${made.data.id}`, { token }), 403);
      expectError(await api.call('POST', `/api/v1/imports/${made.data.id}/start`, { token }), 403);
      expectError(await api.call('GET', '/api/v1/imports', { token }), 403);
    }
  });

  it('keeps every import to its organization: another gets 404 and never lists it, nor its records', async () => {
    const { token } = await api.signup('import-owner');
    const made = await upload(token, 'Email,Name\nowned@b.example,Owned\n', 'lead');
    const id = made.data.id;
    await api.call('POST', `/api/v1/imports/${id}/start`, { token });
    await waitForImport(api, token, id);
    for (const other of [await api.signup('import-stranger'), await api.signup('import-eu', { region: 'eu' })]) {
      const t = other.token;
      expectError(await api.call('GET', `/api/v1/imports/${id}`, { token: t }), 404, 'not_found');
      expectError(await api.call('PATCH', `/api/v1/imports/${id}`, { token: t, body: { mapping: {} } }), 404);
      for (const action of ['preview', 'start', 'cancel']) {
        expectError(await api.call('POST', `/api/v1/imports/${id}/${action}`, { token: t }), 404, 'not_found', action);
      }
      expectError(await api.call('GET', `/api/v1/imports/${id}/errors`, { token: t }), 404);
      expect((await api.call('GET', '/api/v1/imports', { token: t })).data.data).toEqual([]);
      expect((await api.call('GET', '/api/v1/leads', { token: t })).data.data).toEqual([]);
    }
    expect((await api.call('GET', '/api/v1/imports', { token })).data.data.map((i: { id: string }) => i.id)).toEqual([
      id,
    ]);
  });

  it('pages through imports newest first', async () => {
    const { token } = await api.signup('import-pages');
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await upload(token, `Email\np${i}@b.example\n`, 'lead')).data.id);
    const first = await api.call('GET', '/api/v1/imports?limit=2', { token });
    expect(first.data.data.map((i: { id: string }) => i.id)).toEqual([ids[2], ids[1]]);
    const second = await api.call('GET', `/api/v1/imports?limit=2&cursor=${first.data.nextCursor}`, { token });
    expect(second.data).toMatchObject({ data: [{ id: ids[0] }], nextCursor: null });
    expectError(await api.call('GET', '/api/v1/imports?cursor=bogus', { token }), 400, 'invalid_cursor');
  });
});
