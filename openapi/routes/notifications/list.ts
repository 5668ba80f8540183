import { createRoute } from '@hono/zod-openapi';
import { jsonResponse, pick } from '../../schemas/common.ts';
import { NotificationList, NotificationListQuery, notificationListExample } from '../../schemas/notifications.ts';

export const listNotificationsRoute = createRoute({
  method: 'get',
  path: '/api/v1/notifications',
  operationId: 'listNotifications',
  tags: ['notifications'],
  summary: "The caller's notifications",
  description:
    'Newest first, with keyset pagination: follow `nextCursor` until it is null. `unread=true` lists only those not yet read; `unreadCount` counts them all. Notifications belong to users: an API key gets 403.',
  security: [{ bearerAuth: [] }],
  request: { query: NotificationListQuery },
  responses: {
    200: jsonResponse(NotificationList, 'A page of notifications', notificationListExample),
    ...pick(400, 401, 403, 429),
  },
});
