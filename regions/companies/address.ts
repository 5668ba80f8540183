import type { Address } from '../../db/schema/index.ts';

const parts = ['street', 'city', 'region', 'postalCode', 'country'] as const;

/**
 * An address in one canonical shape: its parts in a fixed order (jsonb reorders keys, so comparing what was stored
 * with what was sent must not depend on order), and no address at all, null, when it has no parts.
 */
export function addressOrNull(address: Address | null | undefined): Address | null {
  if (!address) return null;
  const present = parts.filter((part) => address[part] !== undefined && address[part] !== '');
  return present.length ? Object.fromEntries(present.map((part) => [part, address[part]])) : null;
}
