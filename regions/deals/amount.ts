/**
 * The canonical form of an amount the contract accepted (`^\d{1,16}(\.\d{1,2})?$`): no leading zeros and exactly
 * two decimals, as PostgreSQL's numeric(18, 2) answers it, so "12500" and "12500.00" are the same value on patch.
 */
export function canonicalAmount(amount: string): string {
  const [whole = '0', fraction = ''] = amount.split('.');
  const digits = whole.replace(/^0+(?=\d)/, '');
  return `${digits}.${fraction.padEnd(2, '0')}`;
}
