import type { auditLog } from '../../db/schema/index.ts';

type AuditRow = typeof auditLog.$inferSelect;

export const auditEntryView = (e: AuditRow) => ({
  id: e.id,
  actorType: e.actorType,
  actorId: e.actorId,
  action: e.action,
  targetType: e.targetType,
  targetId: e.targetId,
  ip: e.ip,
  userAgent: e.userAgent,
  changes: (e.changes ?? null) as Record<string, unknown> | null,
  createdAt: e.createdAt.toISOString(),
});
