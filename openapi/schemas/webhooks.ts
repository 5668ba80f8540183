import { z } from '@hono/zod-openapi';
import { eventTypes, isEventPattern } from '../../regions/events/types.ts';
import { Timestamp } from './common.ts';
import { LeadSchema } from './leads.ts';
import { storableText } from './text.ts';

const EventPattern = z
  .string()
  .max(100)
  .refine(isEventPattern, 'An event type such as lead.created, a pattern such as lead.*, or *')
  .openapi({
    description: `One of the event types (${eventTypes.join(', ')}), a family such as \`lead.*\`, or \`*\``,
    example: 'lead.*',
  });

export const WebhookSubscriptionInput = z
  .strictObject({
    url: z.string().max(2000).openapi({ example: 'https://hooks.example.com/crm' }),
    eventTypes: z.array(EventPattern).min(1).max(50),
    description: storableText(300).optional(),
  })
  .openapi('WebhookSubscriptionInput');

export const WebhookSubscriptionPatch = z
  .strictObject({
    url: z.string().max(2000).optional(),
    eventTypes: z.array(EventPattern).min(1).max(50).optional(),
    description: storableText(300).nullable().optional(),
    status: z.enum(['active', 'disabled']).optional().openapi({ description: '`active` re-enables a disabled one' }),
  })
  .openapi('WebhookSubscriptionPatch');

export const WebhookSubscriptionSchema = z
  .object({
    id: z.uuid(),
    url: z.string(),
    description: z.string().nullable(),
    eventTypes: z.array(z.string()),
    status: z.enum(['active', 'disabled']),
    disabledReason: z.string().nullable(),
    disabledAt: Timestamp.nullable(),
    consecutiveFailures: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi('WebhookSubscription');

export const WebhookSubscriptionWithSecret = z
  .object({
    subscription: WebhookSubscriptionSchema,
    secret: z.string().openapi({ description: 'The signing secret, shown only in this response' }),
  })
  .openapi('WebhookSubscriptionWithSecret');

export const WebhookSubscriptionList = z
  .object({ data: z.array(WebhookSubscriptionSchema) })
  .openapi('WebhookSubscriptionList');

export const deliveryStatuses = ['pending', 'retrying', 'delivered', 'failed'] as const;

export const WebhookDeliverySchema = z
  .object({
    id: z.uuid(),
    subscriptionId: z.uuid(),
    eventId: z.uuid(),
    eventType: z.string(),
    status: z.enum(deliveryStatuses),
    attempts: z.number().int(),
    responseStatus: z.number().int().nullable(),
    responseExcerpt: z.string().nullable().openapi({ description: 'The first KiB of the last answer' }),
    error: z.string().nullable(),
    durationMs: z.number().int().nullable(),
    nextAttemptAt: Timestamp.nullable(),
    lastAttemptAt: Timestamp.nullable(),
    deliveredAt: Timestamp.nullable(),
    createdAt: Timestamp,
  })
  .openapi('WebhookDelivery');

export const WebhookDeliveryList = z
  .object({
    data: z.array(WebhookDeliverySchema),
    nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last' }),
  })
  .openapi('WebhookDeliveryList');

export const WebhookDeliveryQuery = z.object({
  status: z
    .enum(deliveryStatuses)
    .optional()
    .openapi({ param: { name: 'status', in: 'query', description: 'Only deliveries in this state' } }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .default(50)
    .openapi({ param: { name: 'limit', in: 'query', description: 'Page size' }, example: 50 }),
  cursor: z
    .string()
    .optional()
    .openapi({
      param: { name: 'cursor', in: 'query', description: 'Opaque cursor: `nextCursor` from the previous page' },
    }),
});

export const DeliveryParams = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path', description: 'The subscription id' } }),
  deliveryId: z.uuid().openapi({ param: { name: 'deliveryId', in: 'path', description: 'The delivery id' } }),
});

const LeadField = z.enum([
  'firstName',
  'lastName',
  'email',
  'phone',
  'company',
  'title',
  'source',
  'country',
  'region',
  'industry',
]);

export const InboundEndpointInput = z
  .strictObject({
    name: storableText(100).min(1).openapi({ example: 'Facebook lead ads' }),
    mapping: z
      .partialRecord(LeadField, z.string().min(1).max(200))
      .refine((m) => Object.keys(m).length > 0, 'Map at least one field')
      .openapi({
        description: 'Lead field → dot path into the posted JSON (`contact.email`, `answers.0.value`)',
        example: { email: 'lead.email', firstName: 'lead.first_name', phone: 'lead.phone' },
      }),
    defaults: z
      .partialRecord(LeadField, z.string().max(200))
      .optional()
      .openapi({ description: 'Fixed values for fields the payload does not give', example: { source: 'facebook' } }),
  })
  .openapi('InboundEndpointInput');

export const InboundEndpointSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string(),
    mapping: z.record(z.string(), z.string()),
    defaults: z.record(z.string(), z.string()).nullable(),
    active: z.boolean(),
    lastUsedAt: Timestamp.nullable(),
    createdAt: Timestamp,
  })
  .openapi('InboundEndpoint');

export const InboundEndpointCreated = z
  .object({
    endpoint: InboundEndpointSchema,
    token: z.string().openapi({ description: 'The secret token, shown only in this response' }),
    url: z.string().openapi({ description: 'Where the tool POSTs: /api/v1/inbound/{token}' }),
  })
  .openapi('InboundEndpointCreated');

export const InboundEndpointList = z.object({ data: z.array(InboundEndpointSchema) }).openapi('InboundEndpointList');

export const InboundTokenParam = z.object({
  token: z
    .string()
    .max(200)
    .openapi({ param: { name: 'token', in: 'path', description: 'The inbound token (`inb_<region>_…`)' } }),
});

export const InboundPayload = z.record(z.string(), z.unknown()).openapi('InboundPayload');

export const InboundResult = z.object({ lead: LeadSchema }).openapi('InboundResult');
