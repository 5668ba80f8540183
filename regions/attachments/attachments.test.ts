import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../db/ids.ts';
import { activities, auditLog, deals, outbox } from '../../db/schema/index.ts';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import type { RegionContext } from '../context.ts';
import type { FileStorage } from '../storage/port.ts';
import { uploadOfForm } from './multipart.ts';
import { uploadAttachment } from './upload.ts';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
type Session = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
let admin: Session;

const pdf = new TextEncoder().encode('%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n');
/** Every byte value, after a PNG signature: any text round trip on the way would change some of them. */
const png = Uint8Array.from([
  0x89,
  0x50,
  0x4e,
  0x47,
  0x0d,
  0x0a,
  0x1a,
  0x0a,
  ...Array.from({ length: 4096 }, (_, i) => (i * 31 + 7) % 256),
]);

async function upload(
  path: string,
  token: string,
  file: { bytes: Uint8Array; type: string; name: string } | null,
  headers: Record<string, string> = {},
) {
  const form = new FormData();
  if (file) form.append('file', new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.type }), file.name);
  const response = await fetch(stack.edgeUrl + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, ...headers },
    body: form,
  });
  const text = await response.text();
  return { status: response.status, data: text ? JSON.parse(text) : null, headers: response.headers };
}

async function download(path: string, token: string, headers: Record<string, string> = {}) {
  const response = await fetch(stack.edgeUrl + path, { headers: { authorization: `Bearer ${token}`, ...headers } });
  return { status: response.status, bytes: new Uint8Array(await response.arrayBuffer()), headers: response.headers };
}

async function lead(token: string, body: Record<string, unknown> = { firstName: 'Filed' }) {
  const made = await api.call('POST', '/api/v1/leads', { token, body });
  expect(made.status, JSON.stringify(made.data)).toBe(201);
  return made.data.id as string;
}

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.edgeUrl);
  admin = await api.signup('attach');
});
afterAll(() => stack?.stop());

describe('attachments through the edge', () => {
  it('uploads, lists, downloads (the same bytes, saved not rendered) and deletes a file', async () => {
    const leadId = await lead(admin.token);
    const made = await upload(`/api/v1/leads/${leadId}/attachments`, admin.token, {
      bytes: pdf,
      type: 'application/pdf',
      name: 'Signed order (final).pdf',
    });
    expect(made.status, JSON.stringify(made.data)).toBe(201);
    expect(made.data).toMatchObject({
      recordType: 'lead',
      recordId: leadId,
      filename: 'Signed order (final).pdf',
      contentType: 'application/pdf',
      sizeBytes: pdf.length,
      uploadedBy: admin.user.id,
    });
    expect(made.headers.get('location')).toBe(`/api/v1/attachments/${made.data.id}`);
    expect(made.headers.get('etag')).toBe('"v1"');

    const list = await api.call('GET', `/api/v1/leads/${leadId}/attachments`, { token: admin.token });
    expect(list.status).toBe(200);
    expect(list.data).toEqual({ data: [made.data], nextCursor: null });

    const file = await download(made.data.downloadUrl, admin.token);
    expect(file.status).toBe(200);
    expect(file.bytes).toEqual(pdf);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="Signed order \(final\)\.pdf"/);
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');

    expectError(
      await api.call('DELETE', made.data.downloadUrl, { token: admin.token, headers: { 'if-match': '"v2"' } }),
      412,
      'precondition_failed',
    );
    const removed = await api.call('DELETE', made.data.downloadUrl, {
      token: admin.token,
      headers: { 'if-match': '"v1"' },
    });
    expect(removed.status).toBe(204);
    expectError(await api.call('GET', made.data.downloadUrl, { token: admin.token }), 404, 'not_found');
    expect((await api.call('GET', `/api/v1/leads/${leadId}/attachments`, { token: admin.token })).data.data).toEqual(
      [],
    );
    const { storage } = stack.regions.us!.ctx;
    expect(await storage.size(`orgs/${admin.organization.id}/attachments/${made.data.id}`)).toBeNull();
  });

  it('returns a binary file byte for byte', async () => {
    const leadId = await lead(admin.token);
    const made = await upload(`/api/v1/leads/${leadId}/attachments`, admin.token, {
      bytes: png,
      type: 'image/png',
      name: 'scan.png',
    });
    expect(made.status, JSON.stringify(made.data)).toBe(201);
    expect(made.data.sizeBytes).toBe(png.length);
    const file = await download(made.data.downloadUrl, admin.token);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(file.bytes).toEqual(png);
    const again = await download(made.data.downloadUrl, admin.token, { 'if-none-match': '"v1"' });
    expect(again.status).toBe(304);
  });

  it('writes the audit row and the attachment.created event with the row', async () => {
    const leadId = await lead(admin.token);
    const made = await upload(`/api/v1/leads/${leadId}/attachments`, admin.token, {
      bytes: pdf,
      type: 'application/pdf',
      name: 'a.pdf',
    });
    const { shards } = stack.regions.us!.ctx;
    const orgId = admin.organization.id;
    const [audit] = await shards.withTenant(orgId, (tx) =>
      tx
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.organizationId, orgId), eq(auditLog.targetId, made.data.id))),
    );
    expect(audit).toMatchObject({ action: 'attachment.created', actorId: admin.user.id });
    const [event] = await shards.withTenant(orgId, (tx) =>
      tx
        .select()
        .from(outbox)
        .where(and(eq(outbox.organizationId, orgId), eq(outbox.aggregateId, made.data.id))),
    );
    expect(event).toMatchObject({ eventType: 'attachment.created', aggregateType: 'attachment' });
  });

  it('attaches to every kind of record', async () => {
    const orgId = admin.organization.id;
    const company = await api.call('POST', '/api/v1/companies', { token: admin.token, body: { name: 'Filed Ltd' } });
    expect(company.status).toBe(201);
    const contact = await api.call('POST', '/api/v1/contacts', { token: admin.token, body: { firstName: 'Filed' } });
    expect(contact.status).toBe(201);
    // Deals and activities straight into the shard, so this suite does not depend on their create rules.
    const dealId = newId();
    const activityId = newId();
    await stack.regions.us!.ctx.shards.withTenant(orgId, async (tx) => {
      await tx
        .insert(deals)
        .values({ organizationId: orgId, id: dealId, name: 'Filed deal', pipelineId: newId(), stageId: newId() });
      await tx.insert(activities).values({ organizationId: orgId, id: activityId, type: 'note', subject: 'Filed' });
    });
    const records: [string, string][] = [
      ['companies', company.data.id],
      ['contacts', contact.data.id],
      ['deals', dealId],
      ['activities', activityId],
    ];
    for (const [segment, id] of records) {
      const made = await upload(`/api/v1/${segment}/${id}/attachments`, admin.token, {
        bytes: new TextEncoder().encode(`notes on ${segment}`),
        type: 'text/plain',
        name: 'notes.txt',
      });
      expect(made.status, `${segment}: ${JSON.stringify(made.data)}`).toBe(201);
      const list = await api.call('GET', `/api/v1/${segment}/${id}/attachments`, { token: admin.token });
      expect(list.data.data.map((a: { id: string }) => a.id)).toEqual([made.data.id]);
      expectError(
        await api.call('GET', `/api/v1/${segment}/${newId()}/attachments`, { token: admin.token }),
        404,
        'not_found',
      );
    }
  });

  it('refuses a type it does not accept (415) and a file over the limit (413)', async () => {
    const leadId = await lead(admin.token);
    const path = `/api/v1/leads/${leadId}/attachments`;
    for (const file of [
      { bytes: new TextEncoder().encode('<script>alert(1)</script>'), type: 'text/html', name: 'x.html' },
      { bytes: new TextEncoder().encode('<svg/>'), type: 'image/svg+xml', name: 'x.svg' },
      { bytes: new TextEncoder().encode('MZ'), type: 'application/octet-stream', name: 'tool.exe' },
      { bytes: new TextEncoder().encode('not a pdf'), type: 'application/pdf', name: 'fake.pdf' },
    ]) {
      expectError(await upload(path, admin.token, file), 415, 'unsupported_media_type', file.name);
    }
    const limit = stack.regions.us!.ctx.uploadLimits.attachmentBytes;
    const big = new Uint8Array(limit + 1);
    big.set(new TextEncoder().encode('%PDF-'));
    expectError(
      await upload(path, admin.token, { bytes: big, type: 'application/pdf', name: 'big.pdf' }),
      413,
      'payload_too_large',
    );
    const huge = new Uint8Array(limit * 2);
    expectError(
      await upload(path, admin.token, { bytes: huge, type: 'text/plain', name: 'huge.txt' }),
      413,
      'payload_too_large',
    );
    expect((await api.call('GET', path, { token: admin.token })).data.data).toEqual([]);
  });

  it('refuses a body that is not multipart or has no file part (415/400)', async () => {
    const leadId = await lead(admin.token);
    const path = `/api/v1/leads/${leadId}/attachments`;
    expectError(
      await api.call('POST', path, { token: admin.token, body: { file: 'x' } }),
      415,
      'unsupported_media_type',
    );
    expectError(await upload(path, admin.token, null), 400);
    // Multipart is let through on the upload routes only: every other route still takes JSON alone.
    const elsewhere = await upload('/api/v1/leads', admin.token, {
      bytes: pdf,
      type: 'application/pdf',
      name: 'a.pdf',
    });
    expectError(elsewhere, 415, 'unsupported_media_type');
    const twice = new FormData();
    twice.append('file', new Blob(['a'], { type: 'text/plain' }), 'a.txt');
    twice.append('file', new Blob(['b'], { type: 'text/plain' }), 'b.txt');
    const reply = await fetch(stack.edgeUrl + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.token}` },
      body: twice,
    });
    expect(reply.status).toBe(400);
    expectError(
      await upload(`/api/v1/leads/not-a-uuid/attachments`, admin.token, {
        bytes: pdf,
        type: 'application/pdf',
        name: 'a.pdf',
      }),
      400,
    );
  });

  it('replays an upload retried with the same Idempotency-Key, storing one file', async () => {
    const leadId = await lead(admin.token);
    const path = `/api/v1/leads/${leadId}/attachments`;
    const file = { bytes: pdf, type: 'application/pdf', name: 'once.pdf' };
    const key = { 'idempotency-key': api.unique('upload') };
    const first = await upload(path, admin.token, file, key);
    const second = await upload(path, admin.token, file, key);
    expect(second.status).toBe(201);
    expect(second.data.id).toBe(first.data.id);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    const other = await upload(path, admin.token, { ...file, name: 'other.pdf' }, key);
    expectError(other, 422, 'idempotency_key_reused');
    expect((await api.call('GET', path, { token: admin.token })).data.data).toHaveLength(1);
  });

  it('hides the records of another organization: 404 for upload, list, download and delete', async () => {
    const leadId = await lead(admin.token);
    const made = await upload(`/api/v1/leads/${leadId}/attachments`, admin.token, {
      bytes: pdf,
      type: 'application/pdf',
      name: 'private.pdf',
    });
    for (const other of [await api.signup('attach-other'), await api.signup('attach-eu', { region: 'eu' })]) {
      expectError(
        await upload(`/api/v1/leads/${leadId}/attachments`, other.token, {
          bytes: pdf,
          type: 'application/pdf',
          name: 'x.pdf',
        }),
        404,
        'not_found',
      );
      expectError(await api.call('GET', `/api/v1/leads/${leadId}/attachments`, { token: other.token }), 404);
      expectError(await api.call('GET', made.data.downloadUrl, { token: other.token }), 404);
      expectError(await api.call('DELETE', made.data.downloadUrl, { token: other.token }), 404);
    }
    expect((await download(made.data.downloadUrl, admin.token)).bytes).toEqual(pdf);
  });

  it('limits a sales rep to their own records (404 for a colleague’s) and a viewer to reading', async () => {
    const rep = await api.member(admin.token, 'sales_rep', 'rep-a');
    const colleague = await api.member(admin.token, 'sales_rep', 'rep-b');
    const viewer = await api.member(admin.token, 'viewer');
    const repLead = await lead(rep.token);
    const file = { bytes: pdf, type: 'application/pdf', name: 'rep.pdf' };
    const made = await upload(`/api/v1/leads/${repLead}/attachments`, rep.token, file);
    expect(made.status).toBe(201);

    expectError(await upload(`/api/v1/leads/${repLead}/attachments`, colleague.token, file), 404, 'not_found');
    expectError(await api.call('GET', `/api/v1/leads/${repLead}/attachments`, { token: colleague.token }), 404);
    expectError(await api.call('GET', made.data.downloadUrl, { token: colleague.token }), 404);
    expectError(await api.call('DELETE', made.data.downloadUrl, { token: colleague.token }), 404);

    expectError(await upload(`/api/v1/leads/${repLead}/attachments`, viewer.token, file), 403, 'forbidden');
    expectError(await api.call('DELETE', made.data.downloadUrl, { token: viewer.token }), 403, 'forbidden');
    expect(
      (await api.call('GET', `/api/v1/leads/${repLead}/attachments`, { token: viewer.token })).data.data,
    ).toHaveLength(1);
    expect((await download(made.data.downloadUrl, viewer.token)).bytes).toEqual(pdf);

    // A shared company: a rep sees its files, but may attach only to the companies they own.
    const company = await api.call('POST', '/api/v1/companies', { token: admin.token, body: { name: 'Shared Ltd' } });
    const companyFile = await upload(`/api/v1/companies/${company.data.id}/attachments`, admin.token, file);
    expect(companyFile.status).toBe(201);
    expect((await download(companyFile.data.downloadUrl, rep.token)).status).toBe(200);
    expectError(await upload(`/api/v1/companies/${company.data.id}/attachments`, rep.token, file), 403, 'forbidden');

    expect((await api.call('DELETE', made.data.downloadUrl, { token: rep.token })).status).toBe(204);
  });

  it('deletes the stored file when the transaction that records it fails', async () => {
    const ctx = stack.regions.us!.ctx;
    const leadId = await lead(admin.token);
    const stored: string[] = [];
    const storage: FileStorage = {
      kind: ctx.storage.kind,
      put: (key, body, type) => {
        stored.push(key);
        return ctx.storage.put(key, body, type);
      },
      get: (key) => ctx.storage.get(key),
      delete: (key) => ctx.storage.delete(key),
      size: (key) => ctx.storage.size(key),
    };
    let transactions = 0;
    const shards = {
      withTenant: (organizationId: string, work: never) =>
        ++transactions === 2
          ? Promise.reject(new Error('shard went away'))
          : ctx.shards.withTenant(organizationId, work),
    };
    const failing = { ...ctx, storage, shards } as unknown as RegionContext;
    const actor = {
      principal: {
        type: 'user' as const,
        organizationId: admin.organization.id,
        region: 'us',
        userId: admin.user.id,
        role: 'admin' as const,
        sessionId: newId(),
      },
      ip: null,
      userAgent: null,
      requestId: newId(),
    };
    const form = new FormData();
    form.append('file', new File([pdf as Uint8Array<ArrayBuffer>], 'lost.pdf', { type: 'application/pdf' }));
    await expect(uploadAttachment(failing, actor, 'lead', leadId, uploadOfForm(form))).rejects.toThrow(
      'shard went away',
    );
    expect(stored).toHaveLength(1);
    expect(await ctx.storage.size(stored[0]!)).toBeNull();
    expect((await api.call('GET', `/api/v1/leads/${leadId}/attachments`, { token: admin.token })).data.data).toEqual(
      [],
    );
  });
});
