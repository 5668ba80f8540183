import type { deals } from '../../db/schema/index.ts';

type DealRow = typeof deals.$inferSelect;

export const dealView = (d: DealRow) => ({
  id: d.id,
  name: d.name,
  amount: d.amount,
  currency: d.currency,
  expectedCloseDate: d.expectedCloseDate,
  pipelineId: d.pipelineId,
  stageId: d.stageId,
  stageEnteredAt: d.stageEnteredAt.toISOString(),
  status: d.status,
  closedAt: d.closedAt ? d.closedAt.toISOString() : null,
  closeReason: d.closeReason,
  ownerId: d.ownerId,
  contactId: d.contactId,
  companyId: d.companyId,
  tags: d.tags,
  customFields: d.customFields,
  version: d.version,
  createdAt: d.createdAt.toISOString(),
  updatedAt: d.updatedAt.toISOString(),
});

export type DealView = ReturnType<typeof dealView>;
