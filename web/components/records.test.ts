import { describe, expect, it } from 'vitest';
import { companyFilterQuery, companyFilters } from '../../routes/companies/index.tsx';
import { contactFilterQuery, contactFilters } from '../../routes/contacts/index.tsx';
import { companyBody, companyValuesOfForm } from './company-form.tsx';
import { timeline } from './contact-360.tsx';
import { contactBody, valuesOfForm } from './contact-form.tsx';
import { tagsFromText } from './records.tsx';

const form = (entries: Record<string, string>) => {
  const data = new FormData();
  for (const [key, value] of Object.entries(entries)) data.set(key, value);
  return data;
};

describe('contact form to API body', () => {
  const base = {
    firstName: ' Ada ',
    lastName: 'Lovelace',
    email: '',
    phone: '',
    title: 'Countess',
    lifecycleStage: 'customer',
    companyId: '',
    ownerId: '',
    tags: 'VIP, emea,,',
    consentSource: '',
  };

  it('trims, clears empty optional fields and splits tags', () => {
    const body = contactBody(valuesOfForm(form(base)), false, false);
    expect(body).toEqual({
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: null,
      phone: null,
      title: 'Countess',
      companyId: null,
      ownerId: null,
      lifecycleStage: 'customer',
      tags: ['VIP', 'emea'],
    });
  });

  it('sends consent only when it changes, with its source', () => {
    const given = valuesOfForm(form({ ...base, marketingEmailConsent: 'on', consentSource: 'verbal' }));
    expect(contactBody(given, false, false)).toMatchObject({ marketingEmailConsent: true, consentSource: 'verbal' });
    expect(contactBody(given, true, false)).not.toHaveProperty('marketingEmailConsent');
    const withdrawn = valuesOfForm(form(base));
    expect(contactBody(withdrawn, true, false)).toMatchObject({ marketingEmailConsent: false });
    expect(contactBody(withdrawn, true, false)).not.toHaveProperty('consentSource');
  });

  it('leaves the owner alone when the form had no owner select, and unset on create when none is chosen', () => {
    const { ownerId: _, ...withoutOwner } = base;
    expect(contactBody(valuesOfForm(form(withoutOwner)), false, false)).not.toHaveProperty('ownerId');
    expect(contactBody(valuesOfForm(form(base)), false, true)).not.toHaveProperty('ownerId');
  });
});

describe('company form to API body', () => {
  it('sends the address whole, or null when every part is empty', () => {
    const values = companyValuesOfForm(form({ name: 'Acme', domain: '', city: 'London', country: 'gb', ownerId: '' }));
    expect(companyBody(values, false)).toEqual({
      name: 'Acme',
      domain: null,
      industry: null,
      size: null,
      address: { city: 'London', country: 'gb' },
      tags: [],
      ownerId: null,
    });
    expect(companyBody(companyValuesOfForm(form({ name: 'Acme' })), true).address).toBeNull();
  });
});

describe('list filters', () => {
  it('keeps only valid contact filters, named as the list and export APIs take them', () => {
    const filters = contactFilters(
      new URLSearchParams('lifecycleStage=customer&ownerId=nope&tag=%20vip%20&q=ada&cursor=x'),
    );
    expect(filters).toEqual({ lifecycleStage: 'customer', ownerId: '', tag: 'vip', q: 'ada' });
    expect(contactFilterQuery(filters)).toBe('lifecycleStage=customer&tag=vip&q=ada');
    expect(contactFilters(new URLSearchParams('lifecycleStage=boss')).lifecycleStage).toBe('');
  });

  it('keeps only valid company filters', () => {
    const filters = companyFilters(new URLSearchParams('size=51-200&industry=Computing&q=an'));
    expect(companyFilterQuery(filters)).toBe('q=an&industry=Computing&size=51-200');
    expect(companyFilters(new URLSearchParams('size=huge')).size).toBe('');
  });

  it('reads tags from a comma-separated box', () => {
    expect(tagsFromText(' a, b ,, c ')).toEqual(['a', 'b', 'c']);
  });
});

describe('contact timeline', () => {
  const activity = (id: string, type: string, createdAt: string) => ({
    id,
    type,
    subject: `${type} ${id}`,
    dueAt: null,
    done: false,
    createdAt,
  });

  it('merges activities and emails newest first, an email with its logged activity shown once', () => {
    const items = timeline(
      [activity('a1', 'call', '2026-12-01T10:00:00.000Z'), activity('a2', 'email', '2026-12-02T10:00:00.000Z')],
      [
        {
          id: 'e1',
          subject: 'Hello',
          status: 'sent',
          activityId: 'a2',
          createdAt: '2026-12-02T10:00:00.000Z',
          sentAt: null,
        },
        {
          id: 'e2',
          subject: 'Queued',
          status: 'queued',
          activityId: null,
          createdAt: '2026-12-03T09:00:00.000Z',
          sentAt: null,
        },
      ],
    );
    expect(items.map((i) => i.id)).toEqual(['e2', 'a2', 'a1']);
    expect(items[1]!.detail).toBe('Email sent');
    expect(items[2]!.detail).toBe('Open');
  });
});
