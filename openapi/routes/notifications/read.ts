import { createRoute } from '@hono/zod-openapi';
import { IdParam, jsonResponse, pick } from '../../schemas/common.ts';
import { NotificationSchema, readNotificationExample } from '../../schemas/notifications.ts';

export const readNotificationRoute = createRoute({
  method: 'post',
  path: '/api/v1/notifications/{id}/read',
  operationId: 'markNotificationRead',
  tags: ['notifications'],
  summary: 'Mark one notification read',
  description:
    "Marking a notification that is already read keeps its first `readAt`. Another user's notification answers 404.",
  security: [{ bearerAuth: [] }],
  request: { params: IdParam },
  responses: {
    200: jsonResponse(NotificationSchema, 'The notification, read', readNotificationExample),
    ...pick(401, 403, 404, 429),
  },
});
