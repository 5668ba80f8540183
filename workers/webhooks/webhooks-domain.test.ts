import { describe, expect, it } from 'vitest';
import { isPrivateAddress, refuseWebhookUrl } from './address.ts';
import { retryLimitFor, webhookConfig } from './config.ts';
import { matchesEventType } from './fanout.ts';
import { signWebhook, verifyWebhook } from './signature.ts';

describe('webhook retry policy', () => {
  it('fits about 24 hours of exponential backoff capped at an hour', () => {
    expect(retryLimitFor(60, 3600, 86_400)).toBe(28);
    const config = webhookConfig({});
    expect(config.retryLimit).toBe(28);
    let total = 0;
    for (let n = 0; n < config.retryLimit; n++) total += Math.min(3600, 60 * 2 ** n);
    expect(total).toBeLessThanOrEqual(86_400);
    expect(total + 3600).toBeGreaterThan(86_400);
    expect(config.disableAfter).toBe(20);
    expect(config.timeoutMs).toBe(10_000);
  });
  it('takes an explicit retry limit and threshold from the environment', () => {
    const config = webhookConfig({
      WEBHOOK_RETRY_LIMIT: '3',
      WEBHOOK_DISABLE_AFTER: '2',
      WEBHOOKS_ALLOW_PRIVATE: 'true',
    });
    expect(config).toMatchObject({ retryLimit: 3, disableAfter: 2, allowPrivate: true });
  });
});

describe('webhook signatures', () => {
  it('signs "<timestamp>.<body>" with HMAC-SHA256 and verifies within the tolerance', () => {
    const body = JSON.stringify({ id: 'x', type: 'lead.created' });
    const signature = signWebhook('whsec_test', 1_700_000_000, body);
    expect(signature).toMatch(/^v1=[0-9a-f]{64}$/);
    const headers = { timestamp: '1700000000', signature };
    expect(verifyWebhook('whsec_test', headers, body, { now: 1_700_000_100 })).toBe(true);
    expect(verifyWebhook('whsec_other', headers, body, { now: 1_700_000_100 })).toBe(false);
    expect(verifyWebhook('whsec_test', headers, `${body} `, { now: 1_700_000_100 })).toBe(false);
    expect(verifyWebhook('whsec_test', headers, body, { now: 1_700_001_000 })).toBe(false);
  });
});

describe('event type patterns', () => {
  it('matches exact types, prefix patterns and *', () => {
    expect(matchesEventType(['lead.*'], 'lead.created')).toBe(true);
    expect(matchesEventType(['lead.*'], 'leads.created')).toBe(false);
    expect(matchesEventType(['deal.won'], 'deal.won')).toBe(true);
    expect(matchesEventType(['deal.won'], 'deal.lost')).toBe(false);
    expect(matchesEventType(['*'], 'contact.updated')).toBe(true);
  });
});

describe('SSRF guard', () => {
  it('knows private, loopback and link-local addresses', () => {
    for (const ip of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '0.0.0.0',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:10.0.0.1',
      '100.64.0.1',
    ]) {
      expect(isPrivateAddress(ip), ip).toBe(true);
    }
    for (const ip of ['93.184.216.34', '8.8.8.8', '2606:4700::1111', '172.32.0.1']) {
      expect(isPrivateAddress(ip), ip).toBe(false);
    }
  });
  it('refuses non-https, credentials and private hosts unless private targets are allowed', () => {
    expect(refuseWebhookUrl('https://hooks.example.com/x', false)).toBeNull();
    expect(refuseWebhookUrl('http://hooks.example.com/x', false)).toMatch(/https/);
    expect(refuseWebhookUrl('https://127.0.0.1/x', false)).toMatch(/Private/);
    expect(refuseWebhookUrl('https://localhost/x', false)).toMatch(/Private/);
    expect(refuseWebhookUrl('https://[::1]/x', false)).toMatch(/Private/);
    expect(refuseWebhookUrl('https://169.254.169.254/latest', false)).toMatch(/Private/);
    expect(refuseWebhookUrl('https://user:pw@hooks.example.com/', false)).toMatch(/credentials/);
    expect(refuseWebhookUrl('not a url', false)).toMatch(/valid/);
    expect(refuseWebhookUrl('http://127.0.0.1:8080/x', true)).toBeNull();
  });
});
