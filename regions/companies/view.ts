import type { companies } from '../../db/schema/index.ts';

type CompanyRow = typeof companies.$inferSelect;

/** A company as the API shows it; custom fields arrive with their own issue. */
export const companyView = (c: CompanyRow) => ({
  id: c.id,
  name: c.name,
  domain: c.domain,
  industry: c.industry,
  size: c.size,
  address: c.address,
  ownerId: c.ownerId,
  tags: c.tags,
  customFields: c.customFields,
  version: c.version,
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString(),
});
