import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal, Role } from '../../edge/protocol/principal.ts';
import { importSigningSecret } from '../../edge/protocol/signature.ts';
import { STREAMED_HEADERS, signStreamedRequest } from '../../edge/protocol/streamed-signature.ts';
import { apiClient } from '../support/api.ts';
import { TEST_REGIONS } from '../support/databases.ts';
import { startTestStack, TEST_SECRET, type TestStack } from '../support/stack.ts';

/**
 * The region's side of streamed-body signatures (edge/protocol/streamed-signature.ts), called directly as an
 * attacker between edge and region could: a request signed the edge's way gets in once; a replay, a changed
 * header, a streamed body on a route that takes none, or a body longer than the one signed, does not.
 */

const region = TEST_REGIONS[0];
let stack: TestStack;
let principal: Principal;
const boundary = 'streamed-signature-test';
const contentType = `multipart/form-data; boundary=${boundary}`;
const form = (csv: string) =>
  `--${boundary}\r\nContent-Disposition: form-data; name="entity"\r\n\r\nlead\r\n` +
  `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.csv"\r\nContent-Type: text/csv\r\n\r\n` +
  `${csv}\r\n--${boundary}--\r\n`;

beforeAll(async () => {
  stack = await startTestStack({ regions: [region] });
  const { token } = await apiClient(stack.edgeUrl).signup('streamed-signature', { region });
  const claims = decodeJwt(token) as { sub: string; org: string; role: Role; sid: string };
  principal = {
    type: 'user',
    organizationId: claims.org,
    region,
    userId: claims.sub,
    role: claims.role,
    sessionId: claims.sid,
  };
});

afterAll(async () => {
  await stack?.stop();
});

async function signedHeaders(path: string, body: string, type = contentType, length: number | null = body.length) {
  const key = await importSigningSecret(TEST_SECRET);
  const context = { requestId: crypto.randomUUID(), principal };
  const signed = await signStreamedRequest(key, {
    method: 'POST',
    pathAndQuery: path,
    context,
    contentType: type,
    contentLength: length,
  });
  return { ...signed, 'content-type': type };
}

const send = (path: string, headers: Record<string, string>, body: BodyInit) =>
  fetch(stack.regionUrls[region] + path, { method: 'POST', headers, body, duplex: 'half' } as RequestInit).then(
    async (response) => ({ status: response.status, data: await response.json() }),
  );

describe('streamed uploads, region side', () => {
  it('accepts an upload signed the streamed way once; the same request again is a replay (401)', async () => {
    const body = form('Email\na@b.example\n');
    const headers = await signedHeaders('/api/v1/imports', body);
    const first = await send('/api/v1/imports', headers, body);
    expect(first.status, JSON.stringify(first.data)).toBe(201);
    const replay = await send('/api/v1/imports', headers, body);
    expect(replay.status).toBe(401);
    expect(replay.data.error).toMatchObject({ code: 'unsigned_request', message: expect.stringMatching(/replayed/) });
    // Not even with another body: the nonce is spent.
    const other = form('Email\nevil@b.example\n');
    expect((await send('/api/v1/imports', { ...headers, 'content-length': String(other.length) }, other)).status).toBe(
      401,
    );
  });

  it('refuses changed headers: content type, path, declared length, context', async () => {
    const body = form('Email\na@b.example\n');
    const changed = async (edit: (headers: Record<string, string>) => void, path = '/api/v1/imports') => {
      const headers = await signedHeaders('/api/v1/imports', body);
      edit(headers);
      return send(path, headers, body);
    };
    const other = `multipart/form-data; boundary=${boundary}x`;
    expect((await changed((h) => Object.assign(h, { 'content-type': other }))).status).toBe(401);
    expect((await changed(() => {}, '/api/v1/imports?entity=contact')).status).toBe(401);
    expect((await changed((h) => Object.assign(h, { [STREAMED_HEADERS.length]: '-' }))).status).toBe(401);
    const forged = { ...principal, role: 'admin', userId: crypto.randomUUID() };
    const context = btoa(JSON.stringify({ requestId: 'x', principal: forged })).replace(/=+$/, '');
    expect((await changed((h) => Object.assign(h, { 'x-crm-context': context }))).status).toBe(401);
    const imports = await send('/api/v1/imports', await signedHeaders('/api/v1/imports', body), body);
    expect(imports.status).toBe(201);
  });

  it('refuses a streamed body on a route that takes none, however well signed', async () => {
    const body = JSON.stringify({ firstName: 'Streamed' });
    const headers = await signedHeaders('/api/v1/leads', body, 'application/json');
    const reply = await send('/api/v1/leads', headers, body);
    expect(reply.status).toBe(401);
    expect(reply.data.error.message).toMatch(/route that takes none/);
    const internal = await signedHeaders('/internal/auth/api-key', '{}', 'application/json');
    expect((await send('/internal/auth/api-key', internal, '{}')).status).toBe(401);
  });

  it('refuses a body longer than the length signed, and keeps nothing of it', async () => {
    const body = form('Email\na@b.example\n');
    const headers = await signedHeaders('/api/v1/imports', body, contentType, body.length - 10);
    // Sent chunked, so only the region's count can tell.
    const chunked = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(body));
        controller.close();
      },
    });
    const reply = await send('/api/v1/imports', headers, chunked);
    expect(reply.status).toBe(400);
    expect(reply.data.error.code).toMatch(/body_length_mismatch|invalid_multipart/);
  });
});
