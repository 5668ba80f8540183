import { createRoute, z } from '@hono/zod-openapi';
import { pick } from '../../schemas/common.ts';
import { StreamHeaders, StreamQuery, streamExample } from '../../schemas/notifications.ts';

export const notificationStreamRoute = createRoute({
  method: 'get',
  path: '/api/v1/notifications/stream',
  operationId: 'streamNotifications',
  tags: ['notifications'],
  summary: "The caller's new notifications, live (Server-Sent Events)",
  description: [
    "A `text/event-stream` of the caller's notifications as they are created, by any process: one `notification` event each, its `id` the notification's `seq` and its `data` the notification as JSON.",
    'Resume with `Last-Event-ID` (EventSource sends it when it reconnects) or `?lastEventId=`: every notification after that one is sent first; without either the stream starts with the next one.',
    'A comment line (`: keep-alive`) is sent every 15 s when nothing else is, so proxies keep the connection open. The stream ends after 5 minutes (the client reconnects after the `retry` delay, with a fresh token); closing the connection ends it at once.',
    'Browsers read it with fetch (or an EventSource polyfill that can send the Authorization header).',
  ].join('\n\n'),
  security: [{ bearerAuth: [] }],
  request: { query: StreamQuery, headers: StreamHeaders },
  responses: {
    200: {
      description: 'The event stream; it stays open',
      content: { 'text/event-stream': { schema: z.string(), example: streamExample } },
    },
    ...pick(400, 401, 403, 429),
  },
});
