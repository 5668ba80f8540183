import { describe, expect, it } from 'vitest';
import { importFields } from './fields.ts';
import { normaliseHeader, suggestMapping } from './suggest.ts';

describe('normaliseHeader', () => {
  it('keeps lower-case letters and digits only, without accents', () => {
    expect(normaliseHeader(' E-mail Address ')).toBe('emailaddress');
    expect(normaliseHeader('Prénom')).toBe('prenom');
    expect(normaliseHeader('Address line 1')).toBe('addressline1');
  });
});

describe('suggestMapping', () => {
  it('maps a typical lead export by name and synonym', () => {
    expect(
      suggestMapping('lead', [
        'First Name',
        'Surname',
        'E-mail',
        'Phone number',
        'Company name',
        'Job Title',
        'Lead Source',
        'Notes',
      ]),
    ).toEqual({
      'First Name': 'firstName',
      Surname: 'lastName',
      'E-mail': 'email',
      'Phone number': 'phone',
      'Company name': 'company',
      'Job Title': 'title',
      'Lead Source': 'source',
    });
  });

  it('reads "Company name" as the name of a company when importing companies', () => {
    expect(suggestMapping('company', ['Company name', 'Website', 'Employees', 'ZIP', 'State', 'Country'])).toEqual({
      'Company name': 'name',
      Website: 'domain',
      Employees: 'size',
      ZIP: 'postalCode',
      State: 'region',
      Country: 'country',
    });
  });

  it('gives each field to the first header that names it', () => {
    expect(suggestMapping('contact', ['Email', 'Work email', 'Name'])).toEqual({ Email: 'email', Name: 'fullName' });
  });

  it('recognises its own export headers, so an export imports back', () => {
    const headers = ['id', 'firstName', 'lastName', 'email', 'phone', 'title', 'lifecycleStage', 'tags', 'createdAt'];
    expect(suggestMapping('contact', headers)).toEqual({
      firstName: 'firstName',
      lastName: 'lastName',
      email: 'email',
      phone: 'phone',
      title: 'title',
      lifecycleStage: 'lifecycleStage',
      tags: 'tags',
    });
  });

  it('only ever suggests fields the entity has', () => {
    for (const entity of ['lead', 'contact', 'company'] as const) {
      const mapping = suggestMapping(entity, ['name', 'email', 'company', 'domain', 'tags', 'status', 'city']);
      for (const field of Object.values(mapping)) expect(importFields[entity]).toContain(field);
    }
  });

  it('suggests custom fields whose key or label names a header', () => {
    const customFields = [
      { key: 'industry_tier', label: 'Account tier' },
      { key: 'seats', label: 'Licensed seats' },
      { key: 'renewal', label: 'Renewal date' },
    ];
    expect(suggestMapping('company', ['Company', 'Account Tier', 'seats', 'Renewal', 'Notes'], customFields)).toEqual({
      Company: 'name',
      'Account Tier': 'cf.industry_tier',
      seats: 'cf.seats',
      Renewal: 'cf.renewal',
    });
    expect(suggestMapping('company', ['Industry_Tier', 'Licensed seats', 'Renewal Date'], customFields)).toEqual({
      Industry_Tier: 'cf.industry_tier',
      'Licensed seats': 'cf.seats',
      'Renewal Date': 'cf.renewal',
    });
  });

  it('prefers a built-in field named exactly, then a custom field, then a synonym', () => {
    const customFields = [
      { key: 'status', label: 'Status' },
      { key: 'origin', label: 'Origin' },
    ];
    // "Status" is a lead's own field; "Origin" is a synonym of source, but the organization defined it.
    expect(suggestMapping('lead', ['Status', 'Origin', 'Lead Source'], customFields)).toEqual({
      Status: 'status',
      Origin: 'cf.origin',
      'Lead Source': 'source',
    });
  });
});
