import type { apiKeys, leads, organizations, users } from '../../db/schema/index.ts';
import type { Role } from '../../edge/protocol/principal.ts';
import type { Permission } from '../../openapi/schemas/permissions.ts';

type OrganizationRow = typeof organizations.$inferSelect;
type UserRow = typeof users.$inferSelect;
type LeadRow = typeof leads.$inferSelect;
type ApiKeyRow = typeof apiKeys.$inferSelect;

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

export const organizationView = (o: OrganizationRow) => ({
  id: o.id,
  name: o.name,
  slug: o.slug,
  homeRegion: o.homeRegion,
  plan: o.plan,
  createdAt: iso(o.createdAt),
});

export const userView = (u: UserRow, role: Role) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role,
  status: u.status,
  createdAt: iso(u.createdAt),
});

export const leadView = (l: LeadRow) => ({
  id: l.id,
  firstName: l.firstName,
  lastName: l.lastName,
  email: l.email,
  phone: l.phone,
  company: l.company,
  title: l.title,
  source: l.source,
  country: l.country,
  region: l.region,
  industry: l.industry,
  status: l.status,
  ownerId: l.ownerId,
  score: l.score,
  scoreReasons: l.scoreReasons,
  convertedAt: isoOrNull(l.convertedAt),
  convertedContactId: l.convertedContactId,
  convertedCompanyId: l.convertedCompanyId,
  convertedDealId: l.convertedDealId,
  customFields: l.customFields,
  version: l.version,
  createdAt: iso(l.createdAt),
  updatedAt: iso(l.updatedAt),
});

export const apiKeyView = (k: ApiKeyRow) => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  scopes: k.scopes as Permission[],
  createdAt: iso(k.createdAt),
  lastUsedAt: isoOrNull(k.lastUsedAt),
  revokedAt: isoOrNull(k.revokedAt),
});

/** A strong validator for a record version; If-Match must repeat it exactly. */
export const etagOf = (version: number) => `"v${version}"`;
export const normaliseEmail = (email: string) => email.trim().toLowerCase();
