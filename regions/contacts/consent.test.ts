import { describe, expect, it } from 'vitest';
import { applyConsent, noConsent } from './consent.ts';

const now = new Date('2026-11-28T09:00:00.000Z');
const earlier = new Date('2026-01-02T03:04:05.000Z');
const given = { marketingEmailConsent: true, consentSource: 'import', consentGivenAt: earlier };

describe('applyConsent', () => {
  it('stamps consent with the server time and its source when it turns true', () => {
    expect(applyConsent(noConsent, { marketingEmailConsent: true, consentSource: 'web_form' }, now)).toEqual({
      state: { marketingEmailConsent: true, consentSource: 'web_form', consentGivenAt: now },
      change: { given: true, source: 'web_form', at: now },
    });
  });

  it('clears the source and time when consent is withdrawn, keeping how it was withdrawn for the audit', () => {
    expect(applyConsent(given, { marketingEmailConsent: false, consentSource: 'unsubscribe_link' }, now)).toEqual({
      state: noConsent,
      change: { given: false, source: 'unsubscribe_link', at: now },
    });
    expect(applyConsent(given, { marketingEmailConsent: false }, now).change).toEqual({
      given: false,
      source: null,
      at: now,
    });
  });

  it('changes nothing when consent is not mentioned or already in the asked state', () => {
    expect(applyConsent(given, {}, now)).toEqual({ state: given, change: null });
    expect(applyConsent(given, { marketingEmailConsent: true, consentSource: 'verbal' }, now)).toEqual({
      state: given,
      change: null,
    });
    expect(applyConsent(noConsent, { marketingEmailConsent: false }, now)).toEqual({ state: noConsent, change: null });
  });

  it('refuses consent without a source, which the contract never lets through', () => {
    expect(() => applyConsent(noConsent, { marketingEmailConsent: true }, now)).toThrow();
  });
});
