import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../db/ids.ts';
import { activities, deals, leads } from '../../db/schema/index.ts';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import type { RegionContext } from '../context.ts';
import { EXPORT_PAGE_ROWS, exportStream } from './stream.ts';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
type Session = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
let admin: Session;

async function download(path: string, token: string) {
  const response = await fetch(stack.edgeUrl + path, { headers: { authorization: `Bearer ${token}` } });
  const bytes = new Uint8Array(await response.arrayBuffer());
  // Decoded as is: Response.text() would quietly drop the byte-order mark this suite looks for.
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  return {
    status: response.status,
    text,
    headers: response.headers,
    data: text.startsWith('{') ? JSON.parse(text) : null,
  };
}

/** The CSV as rows of cells, the header row first. */
const table = (text: string) => parse(text, { bom: true }) as string[][];

/** The CSV as one object per row, keyed by header. */
function records(text: string): Record<string, string>[] {
  const [header, ...rows] = table(text);
  return rows.map((row) => Object.fromEntries(header!.map((h, i) => [h, row[i]!])));
}

const orgCtx = () => stack.regions.us!.ctx;

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.edgeUrl);
  admin = await api.signup('export');
});
afterAll(() => stack?.stop());

describe('CSV exports', () => {
  it('exports the leads the list shows, newest first, as CSV that reads back cell for cell', async () => {
    const { token } = await api.signup('export-leads');
    const made = [];
    for (const body of [
      {
        firstName: 'Ada',
        lastName: 'Lovelace',
        email: 'ada@analytical.example',
        company: 'Engines, Ltd',
        status: 'qualified',
      },
      { firstName: '=HYPERLINK("http://evil.example","x")', lastName: '+1', company: '@SUM(A1)', source: 'web' },
      { firstName: 'Grace "Amazing"', lastName: 'Hopper\nUSN', title: 'Rear Admiral', source: 'web' },
      { firstName: 'Jürgen', lastName: 'Ødegård' },
    ]) {
      const reply = await api.call('POST', '/api/v1/leads', { token, body });
      expect(reply.status).toBe(201);
      made.push(reply.data);
    }
    const reply = await download('/api/v1/exports/leads.csv', token);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(reply.headers.get('content-disposition')).toMatch(/^attachment; filename="leads-\d{4}-\d{2}-\d{2}\.csv"/);
    expect(reply.text.startsWith('\ufeffid,firstName,lastName,email,')).toBe(true);
    const rows = records(reply.text);
    expect(rows.map((r) => r.id)).toEqual(made.map((l) => l.id).reverse());
    const [jurgen, grace, injected, ada] = rows;
    expect(ada).toMatchObject({
      firstName: 'Ada',
      email: 'ada@analytical.example',
      company: 'Engines, Ltd',
      status: 'qualified',
      score: String(made[0].score),
      ownerId: '',
      createdAt: made[0].createdAt,
    });
    expect(grace).toMatchObject({ firstName: 'Grace "Amazing"', lastName: 'Hopper\nUSN' });
    expect(jurgen).toMatchObject({ firstName: 'Jürgen', lastName: 'Ødegård' });
    // A spreadsheet would run these; the export makes them text.
    expect(injected).toMatchObject({
      firstName: `'=HYPERLINK("http://evil.example","x")`,
      lastName: "'+1",
      company: "'@SUM(A1)",
    });

    const web = records((await download('/api/v1/exports/leads.csv?source=web', token)).text);
    expect(web.map((r) => r.id)).toEqual([made[2].id, made[1].id]);
    const qualified = records((await download('/api/v1/exports/leads.csv?status=qualified', token)).text);
    expect(qualified.map((r) => r.id)).toEqual([made[0].id]);
    const none = await download('/api/v1/exports/leads.csv?status=converted', token);
    expect(table(none.text)).toHaveLength(1);
    expectError(await download('/api/v1/exports/leads.csv?status=hot', token), 400, 'validation_failed');
  });

  it('exports contacts, companies, deals and activities with their list filters', async () => {
    const { token, organization } = await api.signup('export-kinds');
    const acme = await api.call('POST', '/api/v1/companies', {
      token,
      body: {
        name: 'Acme',
        domain: 'acme.example',
        industry: 'Anvils',
        address: { city: 'Springfield', country: 'US' },
        tags: ['key'],
      },
    });
    await api.call('POST', '/api/v1/companies', { token, body: { name: 'Globex', industry: 'Energy' } });
    const anvils = records((await download('/api/v1/exports/companies.csv?industry=anvils', token)).text);
    expect(anvils).toEqual([
      expect.objectContaining({
        id: acme.data.id,
        name: 'Acme',
        domain: 'acme.example',
        city: 'Springfield',
        country: 'US',
        tags: 'key',
      }),
    ]);

    const ada = await api.call('POST', '/api/v1/contacts', {
      token,
      body: {
        firstName: 'Ada',
        email: 'ada@acme.example',
        companyId: acme.data.id,
        lifecycleStage: 'customer',
        tags: ['vip', 'emea'],
      },
    });
    await api.call('POST', '/api/v1/contacts', { token, body: { firstName: 'Bob', lifecycleStage: 'lead' } });
    const vip = records((await download('/api/v1/exports/contacts.csv?tag=vip', token)).text);
    expect(vip).toEqual([expect.objectContaining({ id: ada.data.id, companyId: acme.data.id, tags: 'vip;emea' })]);
    expect(records((await download('/api/v1/exports/contacts.csv?lifecycleStage=lead', token)).text)).toHaveLength(1);
    expect(records((await download('/api/v1/exports/contacts.csv?q=ad', token)).text)).toHaveLength(1);

    // Deals and activities straight into the shard, so this suite does not depend on their create rules.
    const orgId = organization.id;
    const [won, open, task, note] = [newId(), newId(), newId(), newId()];
    await orgCtx().shards.withTenant(orgId, async (tx) => {
      const deal = { organizationId: orgId, pipelineId: newId(), stageId: newId(), currency: 'EUR' };
      await tx.insert(deals).values([
        { ...deal, id: won, name: 'Won deal', amount: '1200.50', status: 'won' },
        { ...deal, id: open, name: 'Open deal', amount: '99.00', companyId: acme.data.id },
      ]);
      await tx.insert(activities).values([
        { organizationId: orgId, id: task, type: 'task', subject: 'Call back', done: true },
        { organizationId: orgId, id: note, type: 'note', subject: '-nothing to see' },
      ]);
    });
    const wonDeals = records((await download('/api/v1/exports/deals.csv?status=won', token)).text);
    expect(wonDeals).toEqual([expect.objectContaining({ id: won, amount: '1200.50', currency: 'EUR', status: 'won' })]);
    const acmeDeals = records((await download(`/api/v1/exports/deals.csv?companyId=${acme.data.id}`, token)).text);
    expect(acmeDeals.map((d) => d.id)).toEqual([open]);
    const all = records((await download('/api/v1/exports/activities.csv', token)).text);
    expect(all.map((a) => a.id)).toEqual([note, task]);
    expect(all[0]!.subject).toBe("'-nothing to see");
    const done = records((await download('/api/v1/exports/activities.csv?done=true', token)).text);
    expect(done).toEqual([expect.objectContaining({ id: task, type: 'task', done: 'true' })]);
  });

  it('pages through a large table inside the stream, each row once, reading a page only when asked', async () => {
    const orgId = admin.organization.id;
    const total = EXPORT_PAGE_ROWS * 2 + 137;
    await orgCtx().shards.withTenant(orgId, (tx) =>
      tx.insert(leads).values(
        Array.from({ length: total }, (_, i) => ({
          organizationId: orgId,
          id: newId(),
          firstName: `Bulk ${i}`,
          source: 'bulk',
        })),
      ),
    );
    const rows = records((await download('/api/v1/exports/leads.csv?source=bulk', admin.token)).text);
    expect(rows).toHaveLength(total);
    expect(new Set(rows.map((r) => r.id)).size).toBe(total);
    expect(rows.map((r) => r.id)).toEqual([...rows.map((r) => r.id)].sort().reverse());

    // The stream reads one page per pull: with its reader idle, it has not touched the rest of the table.
    const real = orgCtx();
    let queries = 0;
    const counting = {
      ...real,
      shards: {
        withTenant: (id: string, work: never) => {
          queries++;
          return real.shards.withTenant(id, work);
        },
      },
    } as unknown as RegionContext;
    const principal = {
      type: 'user' as const,
      organizationId: orgId,
      region: 'us',
      userId: admin.user.id,
      role: 'admin' as const,
      sessionId: 'x',
    };
    const reader = exportStream(counting, principal, 'leads', { source: 'bulk' }).getReader();
    await reader.read(); // the header row
    await reader.read(); // the first page
    await new Promise((r) => setTimeout(r, 50));
    expect(queries).toBeLessThanOrEqual(2);
    await reader.cancel();
  });

  it('applies the caller’s visibility: a sales rep’s export holds only their own records (companies: all)', async () => {
    const rep = await api.member(admin.token, 'sales_rep', 'export-rep');
    const mine = await api.call('POST', '/api/v1/leads', {
      token: rep.token,
      body: { firstName: 'Mine', source: 'rep-test' },
    });
    await api.call('POST', '/api/v1/leads', {
      token: admin.token,
      body: { firstName: 'Not mine', source: 'rep-test' },
    });
    // Sales reps lack data:export, so the stream is asked directly, as a role with both would ask it.
    const principal = {
      type: 'user' as const,
      organizationId: admin.organization.id,
      region: 'us',
      userId: rep.user.id,
      role: 'sales_rep' as const,
      sessionId: 'x',
    };
    const text = await new Response(exportStream(orgCtx(), principal, 'leads', { source: 'rep-test' })).text();
    expect(records(text).map((r) => r.id)).toEqual([mine.data.id]);
    expectError(await download('/api/v1/exports/leads.csv', rep.token), 403, 'forbidden');
  });

  it('needs data:export and the records’ read permission', async () => {
    const manager = await api.member(admin.token, 'manager');
    const viewer = await api.member(admin.token, 'viewer');
    expect((await download('/api/v1/exports/companies.csv', manager.token)).status).toBe(200);
    expectError(await download('/api/v1/exports/companies.csv', viewer.token), 403, 'forbidden');
    const key = await api.call('POST', '/api/v1/api-keys', {
      token: admin.token,
      body: { name: api.unique('export-key'), scopes: ['data:export', 'leads:read'] },
    });
    expect(key.status, JSON.stringify(key.data)).toBe(201);
    expect((await download('/api/v1/exports/leads.csv', key.data.key)).status).toBe(200);
    expectError(await download('/api/v1/exports/contacts.csv', key.data.key), 403, 'forbidden');
  });

  it('never exports another organization’s records', async () => {
    const a = await api.signup('export-a');
    const secret = await api.call('POST', '/api/v1/leads', {
      token: a.token,
      body: { firstName: 'Secret', source: 'iso' },
    });
    await api.call('POST', '/api/v1/companies', { token: a.token, body: { name: 'Secret Co' } });
    for (const other of [await api.signup('export-b'), await api.signup('export-eu', { region: 'eu' })]) {
      for (const entity of ['leads', 'contacts', 'companies', 'deals', 'activities']) {
        const reply = await download(`/api/v1/exports/${entity}.csv`, other.token);
        expect(reply.status, entity).toBe(200);
        expect(table(reply.text), entity).toHaveLength(1);
      }
      const filtered = await download(`/api/v1/exports/leads.csv?source=iso&ownerId=${a.user.id}`, other.token);
      expect(filtered.text).not.toContain(secret.data.id);
    }
    expect((await download('/api/v1/exports/leads.csv', a.token)).text).toContain(secret.data.id);
  });
});
