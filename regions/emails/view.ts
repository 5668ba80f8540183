import type { emailMessages, emailSuppressions } from '../../db/schema/index.ts';

type EmailRow = typeof emailMessages.$inferSelect;
type SuppressionRow = typeof emailSuppressions.$inferSelect;

export const emailView = (e: EmailRow) => ({
  id: e.id,
  kind: e.kind,
  template: e.template,
  to: e.toAddress,
  subject: e.subject,
  status: e.status,
  contactId: e.contactId,
  userId: e.userId,
  campaignId: e.campaignId,
  activityId: e.activityId,
  attempts: e.attempts,
  lastError: e.lastError,
  createdAt: e.createdAt.toISOString(),
  sentAt: e.sentAt?.toISOString() ?? null,
});

export const suppressionView = (s: SuppressionRow) => ({
  address: s.address,
  reason: s.reason,
  detail: s.detail,
  createdAt: s.createdAt.toISOString(),
});
