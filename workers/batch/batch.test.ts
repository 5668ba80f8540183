import { and, count, eq, sql } from 'drizzle-orm';
import type { Job } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, imports, leads } from '../../db/schema/index.ts';
import type { ImportJob } from '../../regions/imports/job.ts';
import { runImport } from '../../regions/imports/run.ts';
import { uploadCsv } from '../../regions/imports/test-support.ts';
import { apiClient } from '../../test/support/api.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { type InFlight, importJobHandler } from './imports.ts';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;

// No batch worker runs here: the test hands the jobs to the handler itself, as pg-boss would.
beforeAll(async () => {
  stack = await startTestStack({ regions: ['us'] });
  api = apiClient(stack.edgeUrl);
});
afterAll(() => stack?.stop());

const jobOf = (data: ImportJob, retryCount: number): Job<ImportJob> =>
  ({
    id: `job-${retryCount}`,
    name: 'import.run',
    data,
    retryCount,
    expireInSeconds: 3600,
    heartbeatSeconds: 30,
    signal: new AbortController().signal,
  }) as Job<ImportJob>;

describe('the batch worker running imports', () => {
  it('lets a retry of the job take over from its dead attempt at once, resuming after the last batch', async () => {
    const { token, organization } = await api.signup('batch-takeover');
    const rows = Array.from({ length: 1200 }, (_, i) => `Lead ${i},T,lead${i}@takeover.example`);
    const csv = ['First Name,Surname,E-mail', ...rows, 'Dup,Row,lead3@takeover.example'].join('\n');
    const made = await uploadCsv(stack.edgeUrl, token, csv, 'lead');
    expect(made.status, JSON.stringify(made.data)).toBe(201);
    expect((await api.call('POST', `/api/v1/imports/${made.data.id}/start`, { token })).status).toBe(202);
    const ctx = stack.regions.us!.ctx;
    const target = { organizationId: organization.id, importId: made.data.id as string };
    // The first attempt commits a batch, then its process dies: the import stays running, held by its token,
    // its last batch a moment ago (the lease has not run out).
    expect(await runImport(ctx, target, { stopping: true })).toBe('stopped');
    await ctx.shards.withTenant(organization.id, (tx) =>
      tx
        .update(imports)
        .set({
          status: 'running',
          updatedAt: new Date(),
          options: sql`${imports.options} || '{"runToken":"the-dead-attempt"}'::jsonb`,
        })
        .where(eq(imports.id, target.importId)),
    );
    const inFlight: InFlight = { stopping: false, runs: new Set() };
    const handle = importJobHandler({ ...ctx }, inFlight);
    // Another job's first attempt leaves a live-looking run alone.
    expect(await handle(jobOf(target, 0))).toEqual({ outcome: 'idle' });
    // The retry pg-boss hands out once the dead attempt's heartbeats stop takes it over.
    expect(await handle(jobOf(target, 1))).toEqual({ outcome: 'completed' });
    const view = await api.call('GET', `/api/v1/imports/${target.importId}`, { token });
    expect(view.data).toMatchObject({ status: 'completed', processedRows: 1201, createdRows: 1200, failedRows: 1 });
    const report = await api.call('GET', view.data.errorsUrl, { token });
    expect(report.data).toContain('1202,Duplicate of line 5 in this file (lead3@takeover.example)');
    const counts = await ctx.shards.withTenant(organization.id, async (tx) => {
      const [people] = await tx.select({ n: count() }).from(leads).where(eq(leads.organizationId, organization.id));
      const [batches] = await tx
        .select({ n: count() })
        .from(auditLog)
        .where(and(eq(auditLog.organizationId, organization.id), eq(auditLog.action, 'import.batch')));
      return { leads: people!.n, batches: batches!.n };
    });
    expect(counts).toEqual({ leads: 1200, batches: 3 });
    expect(inFlight.runs.size).toBe(0);

    // Fetched while the process stops: handed straight back, nothing run.
    inFlight.stopping = true;
    expect(await handle(jobOf(target, 0))).toEqual({ outcome: 'returned' });
  });
});
