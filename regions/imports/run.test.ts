import { and, count, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, importKeys, imports, leads, outbox } from '../../db/schema/index.ts';
import { apiClient } from '../../test/support/api.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { runImport } from './run.ts';
import { gateStorage, uploadCsv, waitForImport } from './test-support.ts';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
let gate: ReturnType<typeof gateStorage> | null = null;
/** Holds back the uploaded CSVs the batch worker reads after `limit` bytes (see gateStorage). */
const gated = (limit: number) => {
  gate = gateStorage(stack.regions.us!.ctx.storage, limit);
  return gate;
};

const upload = (token: string, csv: string, entity: string) => uploadCsv(stack.edgeUrl, token, csv, entity);

async function importCsv(token: string, csv: string, entity: string, options?: Record<string, unknown>) {
  const made = await upload(token, csv, entity);
  expect(made.status, JSON.stringify(made.data)).toBe(201);
  if (options) {
    const patched = await api.call('PATCH', `/api/v1/imports/${made.data.id}`, { token, body: { options } });
    expect(patched.status, JSON.stringify(patched.data)).toBe(200);
  }
  const started = await api.call('POST', `/api/v1/imports/${made.data.id}/start`, { token });
  expect(started.status, JSON.stringify(started.data)).toBe(202);
  return waitForImport(api, token, made.data.id);
}

const leadRows = (n: number, from = 0) =>
  Array.from(
    { length: n },
    (_, i) => `Lead ${from + i},Imported,lead${from + i}@bulk.example,Bulk Company International`,
  );

beforeAll(async () => {
  // Imports run in the batch worker (workers/batch), as in a deployed region.
  stack = await startTestStack({ workers: 'batch' });
  api = apiClient(stack.edgeUrl);
});
afterEach(() => {
  gate?.restore();
  gate = null;
});
afterAll(() => stack?.stop());

describe('running an import', () => {
  it('skips or updates rows matching existing records, and reports in-file duplicates', async () => {
    const { token } = await api.signup('dedupe');
    const existing = await api.call('POST', '/api/v1/leads', {
      token,
      body: { firstName: 'Ada', email: 'ada@dup.example', title: 'Engineer' },
    });
    const csv = [
      'First Name,E-mail,Job Title',
      'Ada,ADA@dup.example,Countess',
      'Grace,grace@dup.example,Admiral',
      'Grace again,Grace@Dup.example,Rear Admiral',
    ].join('\n');
    const skipped = await importCsv(token, csv, 'lead');
    expect(skipped).toMatchObject({ createdRows: 1, updatedRows: 0, skippedRows: 1, failedRows: 1 });
    const errors = await api.call('GET', skipped.errorsUrl, { token });
    expect(errors.data).toMatch(/^line,reason,/);
    expect(errors.data).toContain('4,Duplicate of line 3 in this file (grace@dup.example)');
    const ada = await api.call('GET', `/api/v1/leads/${existing.data.id}`, { token });
    expect(ada.data).toMatchObject({ title: 'Engineer', version: 1 });

    const updated = await importCsv(token, csv, 'lead', { onDuplicate: 'update' });
    // Grace already holds exactly what the file says: matched, nothing to change, so skipped.
    expect(updated).toMatchObject({ createdRows: 0, updatedRows: 1, skippedRows: 1, failedRows: 1 });
    const after = await api.call('GET', `/api/v1/leads/${existing.data.id}`, { token });
    expect(after.data).toMatchObject({ title: 'Countess', email: 'ada@dup.example', version: 2 });
    const leadsNow = await api.call('GET', '/api/v1/leads', { token });
    expect(leadsNow.data.data).toHaveLength(2);

    // Companies match by their normalised domain.
    await api.call('POST', '/api/v1/companies', { token, body: { name: 'Acme', domain: 'acme.example' } });
    const companies = await importCsv(
      token,
      'Company,Website,Industry\nAcme Corp,https://www.ACME.example/,Anvils\nGlobex,globex.example,Energy\n',
      'company',
      { onDuplicate: 'update' },
    );
    expect(companies).toMatchObject({ createdRows: 1, updatedRows: 1, failedRows: 0 });
    const acme = await api.call('GET', '/api/v1/companies?domain=acme.example', { token });
    expect(acme.data.data[0]).toMatchObject({ name: 'Acme Corp', industry: 'Anvils' });
  });

  it('names the first line of a duplicate in an earlier batch, and empties its key table when done', async () => {
    const { token, organization } = await api.signup('dupe-batches');
    // lead5 is on line 7; its duplicates come in the same batch (line 10) and two batches later (line 1203).
    const rows = leadRows(1200);
    rows.splice(8, 0, 'Again,Same batch,LEAD5@bulk.example,X');
    rows.push('Late,Duplicate,lead5@Bulk.example,X', 'Bad,Row,not-an-email,X', 'Last,Dup,lead1199@bulk.example,X');
    const done = await importCsv(token, ['First Name,Surname,E-mail,Company', ...rows].join('\n'), 'lead');
    expect(done).toMatchObject({ status: 'completed', processedRows: 1204, createdRows: 1200, failedRows: 4 });
    const report = await api.call('GET', done.errorsUrl, { token });
    const reasons = (report.data as string)
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',').slice(0, 2).join(','));
    expect(reasons).toEqual([
      '10,Duplicate of line 7 in this file (lead5@bulk.example)',
      '1203,Duplicate of line 7 in this file (lead5@bulk.example)',
      '1204,E-mail: Invalid email address',
      '1205,Duplicate of line 1202 in this file (lead1199@bulk.example)',
    ]);
    const [keys] = await stack.regions.us!.ctx.shards.withTenant(organization.id, (tx) =>
      tx.select({ n: count() }).from(importKeys).where(eq(importKeys.organizationId, organization.id)),
    );
    expect(keys!.n).toBe(0);
  });

  it('stops between batches when cancelled, keeping the batches already written', async () => {
    const { token, organization } = await api.signup('cancel');
    const csv = ['First Name,Surname,E-mail,Company', ...leadRows(3000)].join('\n');
    const made = await upload(token, csv, 'lead');
    // Let the run read about 40% of the file (two full batches), then hold it there.
    const gate = gated(Math.floor(csv.length * 0.4));
    await api.call('POST', `/api/v1/imports/${made.data.id}/start`, { token });
    const running = await waitForImport(api, token, made.data.id, (d) => d.processedRows >= 1000);
    expect(running).toMatchObject({ status: 'running', processedRows: 1000 });
    const cancelled = await api.call('POST', `/api/v1/imports/${made.data.id}/cancel`, { token });
    expect(cancelled.status).toBe(202);
    expect(cancelled.data).toMatchObject({ status: 'running', cancelRequested: true });
    gate.state.open();
    const done = await waitForImport(api, token, made.data.id);
    expect(done).toMatchObject({ status: 'cancelled', processedRows: 1000, createdRows: 1000, totalRows: 3000 });
    expect(done.errorsUrl).not.toBeNull();
    const [stored] = await stack.regions.us!.ctx.shards.withTenant(organization.id, (tx) =>
      tx.select({ n: count() }).from(leads).where(eq(leads.organizationId, organization.id)),
    );
    expect(stored!.n).toBe(1000);

    const notStarted = await upload(token, 'Email\nx@y.example\n', 'lead');
    const stopped = await api.call('POST', `/api/v1/imports/${notStarted.data.id}/cancel`, { token });
    expect(stopped.data).toMatchObject({ status: 'cancelled', cancelRequested: true });
    expect((await api.call('POST', `/api/v1/imports/${notStarted.data.id}/start`, { token })).status).toBe(409);
  });

  it('imports 20,000 rows in batches while reading the file as a stream, showing progress as it goes', async () => {
    const { token, organization } = await api.signup('bulk');
    const csv = ['First Name,Surname,E-mail,Company', ...leadRows(20_000)].join('\n');
    expect(csv.length).toBeGreaterThan(1024 * 1024);
    const made = await upload(token, csv, 'lead');
    expect(made.data.totalRows).toBe(20_000);
    // Hold the file after its first quarter: batches must be written before the rest has even been read.
    const limit = Math.floor(csv.length / 4);
    const gate = gated(limit);
    await api.call('POST', `/api/v1/imports/${made.data.id}/start`, { token });
    const partway = await waitForImport(api, token, made.data.id, (d) => d.processedRows >= 4000);
    expect(partway.status).toBe('running');
    expect(partway.processedRows).toBeLessThan(20_000);
    expect(gate.state.delivered).toBeLessThanOrEqual(limit);
    gate.state.open();
    const done = await waitForImport(api, token, made.data.id);
    expect(done).toMatchObject({
      status: 'completed',
      totalRows: 20_000,
      processedRows: 20_000,
      createdRows: 20_000,
      failedRows: 0,
    });
    const { shards } = stack.regions.us!.ctx;
    const orgId = organization.id;
    const [stored] = await shards.withTenant(orgId, (tx) =>
      tx.select({ n: count() }).from(leads).where(eq(leads.organizationId, orgId)),
    );
    expect(stored!.n).toBe(20_000);
    // One audit row and one progress event per batch of 500.
    const [batches] = await shards.withTenant(orgId, (tx) =>
      tx
        .select({ n: count() })
        .from(auditLog)
        .where(and(eq(auditLog.organizationId, orgId), eq(auditLog.action, 'import.batch'))),
    );
    expect(batches!.n).toBe(40);
    const events = await shards.withTenant(orgId, (tx) =>
      tx
        .select({ payload: outbox.payload })
        .from(outbox)
        .where(and(eq(outbox.organizationId, orgId), eq(outbox.eventType, 'import.progress'))),
    );
    expect(events).toHaveLength(40);
    const processed = events.map((e) => (e.payload as { processedRows: number }).processedRows).sort((a, b) => a - b);
    expect(processed[0]).toBe(500);
    expect(processed[39]).toBe(20_000);
  });

  it('stops between batches when its process stops, queues the import again with a job, and that job resumes it', async () => {
    const { token, organization } = await api.signup('resume');
    const csv = ['First Name,Surname,E-mail,Company', ...leadRows(1500), 'Bad,Row,not-an-email,X'].join('\n');
    const made = await upload(token, csv, 'lead');
    const ctx = stack.regions.us!.ctx;
    const job = { organizationId: organization.id, importId: made.data.id as string };
    // Queued as start queues it, but without its job: this test runs the first attempt itself, stopping after the
    // first batch as a stopping batch worker does.
    await ctx.shards.withTenant(organization.id, (tx) =>
      tx.update(imports).set({ status: 'queued' }).where(eq(imports.id, job.importId)),
    );
    expect(await runImport(ctx, job, { stopping: true })).toBe('stopped');
    // The worker took the job that stop queued with the import, and resumed after the committed batch.
    const done = await waitForImport(api, token, made.data.id);
    expect(done).toMatchObject({ status: 'completed', processedRows: 1501, createdRows: 1500, failedRows: 1 });
    const report = await api.call('GET', done.errorsUrl, { token });
    expect(report.data).toContain('1502,E-mail:');
    const [batches] = await ctx.shards.withTenant(organization.id, (tx) =>
      tx
        .select({ n: count() })
        .from(auditLog)
        .where(and(eq(auditLog.organizationId, organization.id), eq(auditLog.action, 'import.batch'))),
    );
    expect(batches!.n).toBe(4);
    const [stored] = await ctx.shards.withTenant(organization.id, (tx) =>
      tx.select({ n: count() }).from(leads).where(eq(leads.organizationId, organization.id)),
    );
    expect(stored!.n).toBe(1500);
  });
});
