import { describe, expect, it } from 'vitest';
import { ScoringRulesInput } from '../../openapi/schemas/scoring-rules.ts';
import { defaultScoringRules, evaluateRules, fieldValue, ruleHolds, type ScoringRule } from './rules.ts';
import { scoreLead } from './score.ts';

const rule = (r: Partial<ScoringRule>): ScoringRule => ({
  field: 'title',
  operator: 'present',
  points: 10,
  reason: 'r',
  ...r,
});

describe('scoring rules', () => {
  it('reads derived fields: the email domain lower-cased, the source lower-cased, a missing status as new', () => {
    expect(fieldValue({ email: 'Ada@Analytical.Example' }, 'emailDomain')).toBe('analytical.example');
    expect(fieldValue({ email: 'no-at-sign' }, 'emailDomain')).toBeNull();
    expect(fieldValue({ source: 'Referral' }, 'source')).toBe('referral');
    expect(fieldValue({}, 'status')).toBe('new');
    expect(fieldValue({ company: '' }, 'company')).toBeNull();
  });

  it('applies each operator, and fails every one but absent on a missing value', () => {
    const cases: [Partial<ScoringRule>, string | null, boolean][] = [
      [{ operator: 'present' }, 'x', true],
      [{ operator: 'present' }, null, false],
      [{ operator: 'absent' }, null, true],
      [{ operator: 'absent' }, 'x', false],
      [{ operator: 'equals', value: 'CEO' }, 'ceo', true],
      [{ operator: 'notEquals', value: 'ceo' }, 'cto', true],
      [{ operator: 'notEquals', value: 'ceo' }, null, false],
      [{ operator: 'in', value: ['a', 'b'] }, 'B', true],
      [{ operator: 'notIn', value: ['a', 'b'] }, 'c', true],
      [{ operator: 'notIn', value: ['a', 'b'] }, null, false],
      [{ operator: 'containsWord', value: ['vice president', 'head'] }, 'Vice President, Sales', true],
      [{ operator: 'containsWord', value: ['head'] }, 'Headhunter', false],
      [{ operator: 'containsWord', value: ['c++ (lead)'] }, 'C++ (lead) engineer', false],
      [{ operator: 'notContainsWord', value: ['head'] }, 'Analyst', true],
      [{ operator: 'notContainsWord', value: ['head'] }, null, false],
    ];
    for (const [r, value, holds] of cases) expect(ruleHolds(rule(r), value), JSON.stringify([r, value])).toBe(holds);
  });

  it('adds points in order with reasons, fills {value}, clamps to 0–100, and stops at a stop rule', () => {
    const rules: ScoringRule[] = [
      rule({ field: 'industry', operator: 'in', value: ['software'], points: 70, reason: 'Industry {value}' }),
      rule({ field: 'country', operator: 'equals', value: 'FR', points: 50, reason: 'France' }),
      rule({ field: 'source', operator: 'equals', value: 'spam', points: -200, reason: 'Spam', stop: true }),
    ];
    expect(evaluateRules({ industry: 'Software', country: 'fr' }, rules)).toEqual({
      score: 100,
      reasons: [
        { points: 70, reason: 'Industry Software' },
        { points: 50, reason: 'France' },
      ],
    });
    expect(evaluateRules({ industry: 'software', source: 'SPAM' }, rules)).toEqual({
      score: 0,
      reasons: [{ points: -200, reason: 'Spam' }],
    });
    expect(evaluateRules({}, [rule({ field: 'phone', operator: 'absent', points: -5, reason: 'No phone' })])).toEqual({
      score: 0,
      reasons: [{ points: -5, reason: 'No phone' }],
    });
  });

  it('keeps the defaults exactly the scoring every organization had', () => {
    expect(scoreLead({ email: 'ceo@big.example', title: 'CEO', source: 'Partner', status: 'contacted' })).toEqual({
      score: 65,
      reasons: [
        { points: 10, reason: 'Has an email address' },
        { points: 15, reason: 'Work email domain (big.example)' },
        { points: 20, reason: 'Decision-maker title (CEO)' },
        { points: 15, reason: 'Source: partner' },
        { points: 5, reason: 'Status: contacted' },
      ],
    });
    expect(scoreLead({ title: 'Co-Founder' }).score).toBe(20);
    expect(scoreLead({ source: 'cold_outreach' })).toEqual({ score: 0, reasons: [] });
    expect(scoreLead({ source: 'purchased_list', email: 'a@b.example' }).score).toBe(15);
  });

  it('accepts the defaults through the API schema and refuses malformed rules with a path', () => {
    expect(ScoringRulesInput.safeParse({ rules: defaultScoringRules }).success).toBe(true);
    const bad = [
      { field: 'salary', operator: 'present', points: 1, reason: 'x' },
      { field: 'email', operator: 'equals', points: 1, reason: 'x' },
      { field: 'email', operator: 'present', value: 'x', points: 1, reason: 'x' },
      { field: 'email', operator: 'equals', value: ['a', 'b'], points: 1, reason: 'x' },
      { field: 'email', operator: 'present', points: 500, reason: 'x' },
      { field: 'email', operator: 'present', points: 1, reason: '' },
    ];
    for (const r of bad) expect(ScoringRulesInput.safeParse({ rules: [r] }).success, JSON.stringify(r)).toBe(false);
    expect(
      ScoringRulesInput.safeParse({ rules: Array.from({ length: 101 }, () => defaultScoringRules[1]) }).success,
    ).toBe(false);
  });
});
