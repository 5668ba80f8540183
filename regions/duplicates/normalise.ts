/**
 * The comparable form of contact details, so "Ada@Example.com " and "ada@example.com" or "+44 20 7946 0958" and
 * "+44-20-7946-0958" count as the same. The generated columns `email_key` and `phone_key` (migration
 * 0007_duplicate_indexes) apply exactly these rules to stored rows; queries.ts compares with them.
 */
export function normaliseEmail(email: string | null | undefined): string | null {
  const value = email?.trim().toLowerCase();
  return value ? value : null;
}

/** Digits only, keeping a leading `+` (an international number is not the same as a local one); null if no digits. */
export function normalisePhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const digits = phone.replace(/\D/g, '');
  if (!digits) return null;
  return (phone.trim().startsWith('+') ? '+' : '') + digits;
}

/** "First Last", trimmed, for trigram comparison (pg_trgm folds case itself). */
export const fullName = (firstName: string | null | undefined, lastName: string | null | undefined): string =>
  `${firstName ?? ''} ${lastName ?? ''}`.trim();
