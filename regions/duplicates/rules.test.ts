import { describe, expect, it } from 'vitest';
import { mergeFields, unionTags } from './merge-fields.ts';
import { fullName, normaliseEmail, normalisePhone } from './normalise.ts';
import { bestFirst, MAX_DUPLICATES, rankMatch } from './rank.ts';

describe('normaliseEmail', () => {
  it('trims and lower-cases, and treats blank as none', () => {
    expect(normaliseEmail('  Ada@Analytical.Example ')).toBe('ada@analytical.example');
    expect(normaliseEmail('ada@analytical.example')).toBe('ada@analytical.example');
    expect(normaliseEmail('   ')).toBeNull();
    expect(normaliseEmail('')).toBeNull();
    expect(normaliseEmail(null)).toBeNull();
    expect(normaliseEmail(undefined)).toBeNull();
  });
});

describe('normalisePhone', () => {
  it('keeps digits only, and a leading +', () => {
    expect(normalisePhone('+44 20 7946 0958')).toBe('+442079460958');
    expect(normalisePhone(' +44 (20) 7946-0958 ')).toBe('+442079460958');
    expect(normalisePhone('020 7946 0958')).toBe('02079460958');
    expect(normalisePhone('202.555.0147')).toBe('2025550147');
  });

  it('keeps a + only in front: one inside the number is not an international prefix', () => {
    expect(normalisePhone('20+555')).toBe('20555');
    expect(normalisePhone('++1 555')).toBe('+1555');
  });

  it('gives none for no digits', () => {
    expect(normalisePhone('---')).toBeNull();
    expect(normalisePhone('+')).toBeNull();
    expect(normalisePhone('')).toBeNull();
    expect(normalisePhone(null)).toBeNull();
  });
});

describe('fullName', () => {
  it('joins and trims, whichever part is missing', () => {
    expect(fullName('Ada', 'Lovelace')).toBe('Ada Lovelace');
    expect(fullName('Ada', '')).toBe('Ada');
    expect(fullName('', 'Lovelace')).toBe('Lovelace');
    expect(fullName(null, null)).toBe('');
  });
});

describe('rankMatch', () => {
  const none = { sameEmail: false, samePhone: false, nameSimilarity: 0, companySimilarity: 0 };

  it('is no duplicate without evidence', () => {
    expect(rankMatch(none)).toBeNull();
  });

  it('needs both the name and the company similar enough', () => {
    expect(rankMatch({ ...none, nameSimilarity: 1, companySimilarity: 0.44 })).toBeNull();
    expect(rankMatch({ ...none, nameSimilarity: 0.44, companySimilarity: 1 })).toBeNull();
    const at = rankMatch({ ...none, nameSimilarity: 0.45, companySimilarity: 0.45 });
    expect(at?.reasons.map((r) => r.code)).toEqual(['similar_name_and_company']);
    expect(at?.score).toBe(36);
    expect(at?.reasons[0]?.message).toBe('Similar name (45%) and company (45%)');
  });

  it('scores each kind of evidence and combines them, never past 100', () => {
    expect(rankMatch({ ...none, sameEmail: true })).toEqual({
      score: 90,
      reasons: [{ code: 'same_email', message: 'Same email address' }],
    });
    expect(rankMatch({ ...none, samePhone: true })?.score).toBe(70);
    expect(rankMatch({ ...none, sameEmail: true, samePhone: true })?.score).toBe(97);
    const all = rankMatch({ sameEmail: true, samePhone: true, nameSimilarity: 1, companySimilarity: 1 });
    expect(all?.reasons.map((r) => r.code)).toEqual(['same_email', 'same_phone', 'similar_name_and_company']);
    expect(all?.score).toBe(99);
    expect(all!.score).toBeLessThanOrEqual(100);
  });

  it('ranks more evidence above less', () => {
    const email = rankMatch({ ...none, sameEmail: true })!.score;
    const emailAndName = rankMatch({ ...none, sameEmail: true, nameSimilarity: 0.6, companySimilarity: 0.6 })!.score;
    const phone = rankMatch({ ...none, samePhone: true })!.score;
    const name = rankMatch({ ...none, nameSimilarity: 1, companySimilarity: 1 })!.score;
    expect(emailAndName).toBeGreaterThan(email);
    expect(email).toBeGreaterThan(name);
    expect(name).toBeGreaterThan(phone);
  });
});

describe('bestFirst', () => {
  it('orders by score, then newest id, and keeps at most 20', () => {
    const ids = (n: number) => `0193a5f4-0000-7000-8000-${String(n).padStart(12, '0')}`;
    const many = Array.from({ length: 30 }, (_, i) => ({ id: ids(i), score: i % 3 === 0 ? 90 : 40 }));
    const best = bestFirst(many);
    expect(best).toHaveLength(MAX_DUPLICATES);
    expect(best.slice(0, 10).every((c) => c.score === 90)).toBe(true);
    expect(best[0]!.id).toBe(ids(27));
    expect(best[10]!.id).toBe(ids(29));
    for (let i = 1; i < best.length; i++) {
      const [a, b] = [best[i - 1]!, best[i]!];
      expect(a.score > b.score || (a.score === b.score && a.id > b.id)).toBe(true);
    }
  });
});

describe('mergeFields', () => {
  const fields = ['name', 'email', 'phone', 'consent'] as const;
  type Row = {
    name: string;
    email: string | null;
    phone: string;
    consent: boolean;
    consentAt: string | null;
    other: string;
  };
  const primary: Row = { name: 'Ada', email: null, phone: '1', consent: false, consentAt: null, other: 'p' };
  const duplicate: Row = {
    name: 'Ada L.',
    email: 'ada@x.example',
    phone: '2',
    consent: true,
    consentAt: 'then',
    other: 'd',
  };

  it("keeps the primary's values, filling only its empty ones from the duplicate", () => {
    expect(mergeFields(primary, duplicate, fields, {})).toEqual({ email: 'ada@x.example' });
  });

  it('takes what the caller chose, with its companions', () => {
    expect(
      mergeFields(primary, duplicate, fields, { name: 'duplicate', consent: 'duplicate' }, { consent: ['consentAt'] }),
    ).toEqual({ name: 'Ada L.', email: 'ada@x.example', consent: true, consentAt: 'then' });
  });

  it("keeps an empty primary value when the caller chose 'primary'", () => {
    expect(mergeFields(primary, duplicate, fields, { email: 'primary' })).toEqual({});
  });

  it('never touches a field outside the list, and returns only real changes', () => {
    expect(mergeFields(primary, { ...primary, other: 'x' }, fields, { name: 'duplicate' })).toEqual({});
    expect(mergeFields({ ...primary, name: '' }, { ...primary, name: 'Filled' }, fields, {})).toEqual({
      name: 'Filled',
    });
  });
});

describe('unionTags', () => {
  it("keeps the primary's tags first and adds the duplicate's it lacks", () => {
    expect(unionTags(['vip', 'emea'], ['emea', 'partner'])).toEqual(['vip', 'emea', 'partner']);
    expect(unionTags([], [])).toEqual([]);
  });

  it('stops at 50 tags, dropping the duplicate’s extras first', () => {
    const mine = Array.from({ length: 45 }, (_, i) => `p${i}`);
    const theirs = Array.from({ length: 10 }, (_, i) => `d${i}`);
    const merged = unionTags(mine, theirs);
    expect(merged).toHaveLength(50);
    expect(merged.slice(0, 45)).toEqual(mine);
    expect(merged.slice(45)).toEqual(['d0', 'd1', 'd2', 'd3', 'd4']);
  });
});
