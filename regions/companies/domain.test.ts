import { describe, expect, it } from 'vitest';
import { normaliseDomain } from './domain.ts';

describe('normaliseDomain', () => {
  it('keeps a plain host, lower-cased', () => {
    expect(normaliseDomain('acme.com')).toBe('acme.com');
    expect(normaliseDomain('  ACME.Co.UK ')).toBe('acme.co.uk');
    expect(normaliseDomain('sub.acme-labs.io')).toBe('sub.acme-labs.io');
  });

  it('strips the scheme, www., path, query, fragment, port and trailing dot', () => {
    for (const input of [
      'https://acme.com',
      'http://www.acme.com/',
      'HTTPS://WWW.ACME.COM:443/about?ref=1#team',
      'www.acme.com',
      'acme.com.',
      'www.acme.com.:8080',
      'acme.com:8080/path',
      '//acme.com/x',
      'ftp://acme.com',
      'acme.com?x=1',
      'acme.com#top',
    ]) {
      expect(normaliseDomain(input), input).toBe('acme.com');
    }
  });

  it('keeps www. when nothing registrable is left without it, and inner www labels', () => {
    expect(normaliseDomain('www.com')).toBe('www.com');
    expect(normaliseDomain('shop.www.acme.com')).toBe('shop.www.acme.com');
  });

  it('turns an internationalised name into its punycode form', () => {
    expect(normaliseDomain('https://www.Bücher.de/')).toBe('xn--bcher-kva.de');
    expect(normaliseDomain('xn--bcher-kva.de')).toBe('xn--bcher-kva.de');
  });

  it('refuses what is not a host name', () => {
    for (const input of [
      '',
      '   ',
      'acme',
      'localhost',
      'https://',
      'ada@acme.com',
      'https://user:pw@acme.com',
      '192.168.0.1',
      'http://[::1]/',
      'acme..com',
      '.acme.com',
      '-acme.com',
      'acme-.com',
      'ac me.com',
      'acme_corp.com',
      'acme.c',
      'acme.123',
      'acme.com:99999',
      `${'a'.repeat(64)}.com`,
      `${'abcdefghi.'.repeat(26)}com`,
      'acme.com\u0000',
      'not a domain at all',
    ]) {
      expect(normaliseDomain(input), JSON.stringify(input)).toBeNull();
    }
  });

  it('accepts the longest labels and names DNS allows', () => {
    const longest = `${'a'.repeat(63)}.com`;
    expect(normaliseDomain(longest)).toBe(longest);
    const long = `${'abcdefghi.'.repeat(24)}co.uk`;
    expect(long.length).toBeLessThanOrEqual(253);
    expect(normaliseDomain(long)).toBe(long);
  });
});
