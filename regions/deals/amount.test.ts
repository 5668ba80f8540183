import { describe, expect, it } from 'vitest';
import { canonicalAmount } from './amount.ts';

describe('canonicalAmount', () => {
  it('writes every amount with exactly two decimals and no leading zeros', () => {
    expect(canonicalAmount('12500')).toBe('12500.00');
    expect(canonicalAmount('12500.5')).toBe('12500.50');
    expect(canonicalAmount('12500.05')).toBe('12500.05');
    expect(canonicalAmount('0')).toBe('0.00');
    expect(canonicalAmount('000')).toBe('0.00');
    expect(canonicalAmount('007.1')).toBe('7.10');
    expect(canonicalAmount('9999999999999999.99')).toBe('9999999999999999.99');
  });
});
