import { createRoute } from '@hono/zod-openapi';
import { AuditLogPage, AuditLogQuery, auditLogExample } from '../../schemas/audit.ts';
import { jsonResponse, pick } from '../../schemas/common.ts';

export const listAuditLogRoute = createRoute({
  method: 'get',
  path: '/api/v1/audit-log',
  operationId: 'listAuditLog',
  tags: ['audit'],
  summary: 'Who changed what, when and from where, newest first',
  description:
    "Every change in the organization, written in the change's own transaction: the actor, the action, the record, the client's IP address and user agent, and what changed. Needs the audit:read permission (admins). Filters combine; follow `nextCursor` until it is null to read every page.",
  security: [{ bearerAuth: [] }],
  request: { query: AuditLogQuery },
  responses: {
    200: jsonResponse(AuditLogPage, 'A page of audit entries', auditLogExample),
    ...pick(400, 401, 403, 429),
  },
});
