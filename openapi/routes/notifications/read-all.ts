import { createRoute } from '@hono/zod-openapi';
import { jsonResponse, pick } from '../../schemas/common.ts';
import { MarkAllReadResponse } from '../../schemas/notifications.ts';

export const readAllNotificationsRoute = createRoute({
  method: 'post',
  path: '/api/v1/notifications/read-all',
  operationId: 'markAllNotificationsRead',
  tags: ['notifications'],
  summary: "Mark all the caller's notifications read",
  description: 'Every unread notification of the caller is marked read now; the answer says how many there were.',
  security: [{ bearerAuth: [] }],
  responses: {
    200: jsonResponse(MarkAllReadResponse, 'How many were marked read', { updated: 3 }),
    ...pick(401, 403, 429),
  },
});
