import { describe, expect, it } from 'vitest';
import { scoreLead } from './score.ts';

describe('scoreLead', () => {
  it('scores an empty lead zero with no reasons', () => {
    expect(scoreLead({})).toEqual({ score: 0, reasons: [] });
  });

  it('explains every point it gives', () => {
    const { score, reasons } = scoreLead({
      email: 'ada@analytical.example',
      phone: '+44 20 7946 0958',
      company: 'Analytical Engines',
      title: 'Head of Research',
      source: 'referral',
      status: 'qualified',
    });
    expect(reasons.map((r) => r.reason)).toEqual([
      'Has an email address',
      'Work email domain (analytical.example)',
      'Has a phone number',
      'Company known',
      'Decision-maker title (Head of Research)',
      'Source: referral',
      'Status: qualified',
    ]);
    expect(score).toBe(100);
    expect(reasons.reduce((s, r) => s + r.points, 0)).toBeGreaterThanOrEqual(100);
  });

  it('gives no work-email points to free mail', () => {
    const { reasons } = scoreLead({ email: 'ada@gmail.com' });
    expect(reasons).toEqual([{ points: 10, reason: 'Has an email address' }]);
  });

  it('never goes below zero and zeroes unqualified leads', () => {
    expect(scoreLead({ source: 'purchased_list' }).score).toBe(0);
    expect(scoreLead({ email: 'ceo@big.example', title: 'CEO', status: 'unqualified' })).toEqual({
      score: 0,
      reasons: [{ points: 0, reason: 'Marked unqualified' }],
    });
  });

  it('tells a decision-maker from another title', () => {
    expect(scoreLead({ title: 'VP Sales' }).score).toBe(20);
    expect(scoreLead({ title: 'Analyst' }).score).toBe(5);
  });
});
