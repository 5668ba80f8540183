import { z } from '@hono/zod-openapi';
import { notificationChannels, notificationLinkTypes, notificationTypes } from '../../db/schema/messaging-enums.ts';
import { Timestamp } from './common.ts';
import { PageQuery } from './companies.ts';

export const NotificationTypeSchema = z.enum(notificationTypes).openapi('NotificationType', {
  description:
    '`lead_assigned`: a lead was assigned to you; `task_due`: a task of yours comes due; `record_changed`: a record you watch changed; `workflow`: a workflow step notified you; `webhook_disabled`: a webhook was turned off after repeated failures; `import_finished`: an import you started ended',
});
export const NotificationChannelSchema = z.enum(notificationChannels).openapi('NotificationChannel');

const exampleId = '0193a5fe-1a2b-7c3d-8e4f-5a6b7c8d9e0f';
const exampleLead = '0193a5f4-3c4d-7e5f-8a6b-7c8d9e0f1a2b';

export const NotificationSchema = z
  .object({
    id: z.uuid(),
    seq: z.number().int().openapi({
      description: "Its position in the caller's stream: the `id` of its server-sent event (see the stream)",
    }),
    type: NotificationTypeSchema,
    title: z.string(),
    body: z.string(),
    link: z
      .object({ type: z.enum(notificationLinkTypes), id: z.uuid() })
      .nullable()
      .openapi({ description: 'The record it is about, if any' }),
    readAt: Timestamp.nullable(),
    createdAt: Timestamp,
  })
  .openapi('Notification');

export const NotificationList = z
  .object({
    data: z.array(NotificationSchema),
    nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last' }),
    unreadCount: z.number().int().min(0).openapi({ description: 'Unread notifications of the caller, in all' }),
  })
  .openapi('NotificationList');

export const NotificationListQuery = PageQuery.extend({
  unread: z
    .enum(['true', 'false'])
    .optional()
    .openapi({
      param: { name: 'unread', in: 'query', description: 'Only unread (`true`) or only read (`false`) notifications' },
      example: 'true',
    }),
});

export const MarkAllReadResponse = z
  .object({ updated: z.number().int().min(0).openapi({ description: 'Notifications marked read by this call' }) })
  .openapi('MarkAllReadResponse');

const ChannelSettings = z
  .object({ in_app: z.boolean(), email: z.boolean(), sms: z.boolean(), push: z.boolean() })
  .openapi('NotificationChannelSettings');

export const NotificationPreferences = z
  .object({ preferences: z.record(NotificationTypeSchema, ChannelSettings) })
  .openapi('NotificationPreferences');

export const NotificationPreferencesInput = z
  .strictObject({
    preferences: z
      .partialRecord(NotificationTypeSchema, ChannelSettings.partial().strict())
      .refine((p) => Object.keys(p).length > 0, 'Name at least one notification type'),
  })
  .openapi('NotificationPreferencesInput', {
    description: 'The channels to change, by type; types and channels not named keep their setting',
  });

export const StreamQuery = z.object({
  lastEventId: z
    .string()
    .regex(/^\d{1,15}$/, 'A stream position: the `id` of the last event received')
    .optional()
    .openapi({
      param: {
        name: 'lastEventId',
        in: 'query',
        description: 'Where to resume when the client cannot send the `Last-Event-ID` header; the header wins',
      },
      example: '41',
    }),
});

export const StreamHeaders = z.object({
  'last-event-id': z
    .string()
    .regex(/^\d{1,15}$/, 'A stream position: the `id` of the last event received')
    .optional()
    .openapi({
      param: {
        name: 'last-event-id',
        in: 'header',
        description:
          'Resume after this event: every notification created since is sent first. EventSource sends it by itself when it reconnects',
      },
      example: '41',
    }),
});

export const notificationExample = {
  id: exampleId,
  seq: 42,
  type: 'lead_assigned',
  title: 'Ada Lovelace (Analytical Engines) was assigned to you',
  body: 'Assigned by the rule "EMEA round robin".',
  link: { type: 'lead', id: exampleLead },
  readAt: null,
  createdAt: '2026-11-25T15:06:50.000Z',
} satisfies z.output<typeof NotificationSchema>;

export const notificationListExample = {
  data: [notificationExample],
  nextCursor: null,
  unreadCount: 1,
} satisfies z.output<typeof NotificationList>;

export const readNotificationExample = { ...notificationExample, readAt: '2026-11-25T15:10:00.000Z' };

const on = { in_app: true, email: true, sms: false, push: false };
const inApp = { in_app: true, email: false, sms: false, push: false };
export const notificationPreferencesExample = {
  preferences: {
    lead_assigned: on,
    task_due: on,
    record_changed: inApp,
    workflow: on,
    webhook_disabled: on,
    import_finished: inApp,
  },
} satisfies z.output<typeof NotificationPreferences>;

export const notificationPreferencesInputExample = {
  preferences: { task_due: { email: false }, record_changed: { push: true } },
} satisfies z.input<typeof NotificationPreferencesInput>;

export const streamExample = [
  'retry: 3000',
  '',
  `id: 42`,
  'event: notification',
  `data: ${JSON.stringify(notificationExample)}`,
  '',
  ': keep-alive',
  '',
  '',
].join('\n');
