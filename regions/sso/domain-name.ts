/** A domain name as stored: lower case, no trailing dot; null when it is not a plausible public host name. */
export function normaliseDomain(value: string): string | null {
  const domain = value.trim().toLowerCase().replace(/\.$/, '');
  const label = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
  if (domain.length > 253 || !new RegExp(`^(?:${label}\\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$`).test(domain)) return null;
  return domain;
}

/** The domain part of an email address, normalised; null when there is none. */
export function emailDomainOf(email: string): string | null {
  const at = email.lastIndexOf('@');
  return at > 0 ? normaliseDomain(email.slice(at + 1)) : null;
}
