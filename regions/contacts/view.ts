import type { contacts } from '../../db/schema/index.ts';

type ContactRow = typeof contacts.$inferSelect;

/** A contact as the API shows it; custom fields arrive with their own issue. */
export const contactView = (c: ContactRow) => ({
  id: c.id,
  firstName: c.firstName,
  lastName: c.lastName,
  email: c.email,
  phone: c.phone,
  title: c.title,
  lifecycleStage: c.lifecycleStage,
  companyId: c.companyId,
  ownerId: c.ownerId,
  leadId: c.leadId,
  marketingEmailConsent: c.marketingEmailConsent,
  consentSource: c.consentSource,
  consentGivenAt: c.consentGivenAt ? c.consentGivenAt.toISOString() : null,
  tags: c.tags,
  customFields: c.customFields,
  version: c.version,
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString(),
});
