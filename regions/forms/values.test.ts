import { describe, expect, it } from 'vitest';
import { readSubmission } from './values.ts';

const form = {
  fields: [
    { name: 'full', label: 'Name', type: 'text' as const, required: true, leadField: 'lastName' as const },
    { name: 'mail', label: 'Email', type: 'email' as const, leadField: 'email' as const },
    { name: 'land', label: 'Country', type: 'text' as const, leadField: 'country' as const },
    { name: 'plan', label: 'Plan', type: 'select' as const, options: ['Basic', 'Pro'] },
    { name: 'news', label: 'Newsletter', type: 'checkbox' as const },
    { name: 'note', label: 'Note', type: 'textarea' as const, maxLength: 5 },
  ],
  leadDefaults: { source: 'landing', country: 'FR' },
  consentRequired: false,
};

describe('readSubmission', () => {
  it('maps values to the lead, with defaults under what the form filled, and keeps the rest with the submission', () => {
    const read = readSubmission(form, {
      full: ' Hopper ',
      mail: 'G@Navy.example',
      land: 'US',
      plan: 'Pro',
      news: 'on',
    });
    expect(read).toEqual({
      ok: true,
      values: { full: 'Hopper', mail: 'G@Navy.example', land: 'US', plan: 'Pro', news: true },
      lead: { lastName: 'Hopper', email: 'G@Navy.example', country: 'US', source: 'landing' },
      consent: false,
    });
    const defaults = readSubmission(form, { full: 'Hopper' });
    expect(defaults.ok && defaults.lead).toEqual({ lastName: 'Hopper', country: 'FR', source: 'landing' });
  });

  it("names the form's own fields, also for what only the lead contract refuses", () => {
    const read = readSubmission(form, { full: 'x', land: 'france', note: 'too long' });
    expect(read).toEqual({
      ok: false,
      issues: [{ path: 'note', message: 'At most 5 characters' }],
    });
    const country = readSubmission(form, { full: 'x', land: 'france' });
    expect(country.ok).toBe(false);
    expect(!country.ok && country.issues.map((i) => i.path)).toEqual(['land']);
  });

  it('requires consent when the form does, and ignores values of fields it does not have', () => {
    const read = readSubmission({ ...form, consentRequired: true }, { full: 'A', admin: 'true', ownerId: 'x' });
    expect(read).toEqual({ ok: false, issues: [{ path: 'consent', message: 'Please give your consent' }] });
    const given = readSubmission({ ...form, consentRequired: true }, { full: 'A', consent: true, ownerId: 'x' });
    expect(given.ok && given.consent).toBe(true);
    expect(given.ok && given.lead).not.toHaveProperty('ownerId');
  });
});
