import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { consistencyHeader, keepConsistency } from './consistency-cookie.ts';

/** A page's API calls: what the answer's token leaves in the cookie, and what the next call sends from it. */
const app = new Hono();
app.get('/write', (c) => {
  keepConsistency(c, new Response(null, { headers: { 'x-consistency-token': 'us-0@0/16B3748,us-1@0/20' } }));
  return c.text('written');
});
app.get('/read', (c) => c.json(consistencyHeader(c)));

describe('the web app keeps the last write token in a cookie', () => {
  it('sets a short-lived httpOnly cookie from an answer that carries a token, and sends it back as the header', async () => {
    const written = await app.request('http://crm.test/write');
    const cookie = written.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^crm_ct=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Max-Age=60/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const read = await app.request('http://crm.test/read', { headers: { cookie: cookie.split(';')[0]! } });
    expect(await read.json()).toEqual({ 'x-consistency-token': 'us-0@0/16B3748,us-1@0/20' });
  });

  it('uses the __Host- name over https, and ignores a cookie that is not a token', async () => {
    const written = await app.request('https://crm.test/write');
    expect(written.headers.get('set-cookie')).toMatch(/^__Host-crm_ct=.*Secure/);
    const read = await app.request('http://crm.test/read', { headers: { cookie: 'crm_ct=drop%20table' } });
    expect(await read.json()).toEqual({});
  });
});
