import { describe, expect, it } from 'vitest';
import { conversionCompanyName, conversionDomain } from './company.ts';

describe('conversionDomain', () => {
  it("uses the lead's work email domain", () => {
    expect(conversionDomain(undefined, 'grace@navy.example')).toBe('navy.example');
    expect(conversionDomain({}, 'grace@Mail.Navy.Example')).toBe('mail.navy.example');
  });

  it('ignores webmail providers, which say nothing about the company', () => {
    for (const email of ['ada@gmail.com', 'ada@GMAIL.com', 'ada@outlook.com', 'ada@proton.me']) {
      expect(conversionDomain(undefined, email), email).toBeNull();
    }
  });

  it('prefers the domain given, normalised like a company domain', () => {
    expect(conversionDomain({ domain: 'https://www.Acme.example/about' }, 'ada@gmail.com')).toBe('acme.example');
    expect(conversionDomain({ domain: 'acme.example' }, 'grace@navy.example')).toBe('acme.example');
  });

  it('has none without an email or a given domain', () => {
    expect(conversionDomain(undefined, null)).toBeNull();
    expect(conversionDomain(null, null)).toBeNull();
    expect(conversionDomain({ name: 'Acme' }, null)).toBeNull();
  });
});

describe('conversionCompanyName', () => {
  it("takes the name given, else the lead's company, else none", () => {
    expect(conversionCompanyName({ name: 'Acme Corp' }, 'Acme')).toBe('Acme Corp');
    expect(conversionCompanyName(undefined, ' Acme ')).toBe('Acme');
    expect(conversionCompanyName({ domain: 'acme.example' }, null)).toBeNull();
    expect(conversionCompanyName(undefined, '  ')).toBeNull();
  });
});
