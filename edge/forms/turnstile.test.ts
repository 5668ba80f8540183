import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudflareTurnstile, disabledTurnstile } from './turnstile.ts';

let server: Server;
let url: string;
const received: Record<string, string>[] = [];
let answer: { status: number; body: string } = { status: 200, body: '{"success":true}' };

// A stand-in for Cloudflare's siteverify endpoint on loopback: the adapter is real, only the far end is a double.
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push({
        ...Object.fromEntries(new URLSearchParams(body)),
        contentType: req.headers['content-type'] ?? '',
      });
      res.statusCode = answer.status;
      res.setHeader('content-type', 'application/json');
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/turnstile/v0/siteverify`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

describe('the Cloudflare Turnstile adapter', () => {
  it('posts secret, token and address as a form, and reads success and error codes', async () => {
    const verifier = cloudflareTurnstile({ secret: 's3cret', url });
    expect(await verifier.verify('token-1', '203.0.113.7')).toEqual({ success: true, errorCodes: [] });
    expect(received.at(-1)).toMatchObject({
      secret: 's3cret',
      response: 'token-1',
      remoteip: '203.0.113.7',
      contentType: expect.stringMatching(/^application\/x-www-form-urlencoded/),
    });
    answer = { status: 200, body: '{"success":false,"error-codes":["timeout-or-duplicate"]}' };
    expect(await verifier.verify('token-1')).toEqual({ success: false, errorCodes: ['timeout-or-duplicate'] });
    expect(received.at(-1)).not.toHaveProperty('remoteip');
  });

  it('fails closed: no token, an error answer, or no answer at all', async () => {
    const verifier = cloudflareTurnstile({ secret: 's3cret', url });
    const before = received.length;
    expect((await verifier.verify('')).success).toBe(false);
    expect(received.length).toBe(before);
    answer = { status: 500, body: 'oops' };
    expect(await verifier.verify('t')).toEqual({ success: false, errorCodes: ['http-500'] });
    const closed = cloudflareTurnstile({ secret: 's', url: 'http://127.0.0.1:9/nothing', timeoutMs: 2000 });
    expect(await closed.verify('t')).toEqual({ success: false, errorCodes: ['siteverify-unavailable'] });
  });

  it('has a disabled default that accepts', async () => {
    expect(await disabledTurnstile.verify('')).toEqual({ success: true, errorCodes: [] });
  });
});
