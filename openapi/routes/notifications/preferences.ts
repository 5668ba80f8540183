import { createRoute } from '@hono/zod-openapi';
import { jsonBody, jsonResponse, pick } from '../../schemas/common.ts';
import {
  NotificationPreferences,
  NotificationPreferencesInput,
  notificationPreferencesExample,
  notificationPreferencesInputExample,
} from '../../schemas/notifications.ts';

export const getNotificationPreferencesRoute = createRoute({
  method: 'get',
  path: '/api/v1/notifications/preferences',
  operationId: 'getNotificationPreferences',
  tags: ['notifications'],
  summary: "The caller's notification preferences",
  description:
    'For every notification type, whether it reaches the caller in the app, by email, by SMS and by push. Until changed, every type is on in the app; by email what needs action (lead_assigned, task_due, workflow, webhook_disabled); SMS and push are off.',
  security: [{ bearerAuth: [] }],
  responses: {
    200: jsonResponse(NotificationPreferences, 'The preferences', notificationPreferencesExample),
    ...pick(401, 403, 429),
  },
});

export const updateNotificationPreferencesRoute = createRoute({
  method: 'put',
  path: '/api/v1/notifications/preferences',
  operationId: 'updateNotificationPreferences',
  tags: ['notifications'],
  summary: "Change the caller's notification preferences",
  description:
    'Sets the channels named, per type; every other setting stays as it was. Answers with all the preferences, as GET does. Recorded in the audit log.',
  security: [{ bearerAuth: [] }],
  request: {
    body: jsonBody(NotificationPreferencesInput, 'The channels to change', notificationPreferencesInputExample),
  },
  responses: {
    200: jsonResponse(NotificationPreferences, 'The preferences, changed', {
      preferences: {
        ...notificationPreferencesExample.preferences,
        task_due: { in_app: true, email: false, sms: false, push: false },
        record_changed: { in_app: true, email: false, sms: false, push: true },
      },
    }),
    ...pick(400, 401, 403, 413, 415, 429),
  },
});
