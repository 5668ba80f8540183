import type { z } from '@hono/zod-openapi';
import { leadExample } from '../../schemas/examples.ts';
import type {
  InboundEndpointCreated,
  InboundEndpointInput,
  InboundEndpointSchema,
  WebhookDeliverySchema,
  WebhookSubscriptionInput,
  WebhookSubscriptionSchema,
} from '../../schemas/webhooks.ts';

const orgHex = '0193a5f20c1e7a2b9d1e3f4a5b6c7d8e';

export const subscriptionInputExample: z.input<typeof WebhookSubscriptionInput> = {
  url: 'https://hooks.example.com/crm',
  eventTypes: ['lead.*', 'deal.won'],
  description: 'Sync to the data warehouse',
};

export const subscriptionExample: z.output<typeof WebhookSubscriptionSchema> = {
  id: '0193a5f6-1a2b-7c3d-8e4f-5a6b7c8d9e0f',
  url: 'https://hooks.example.com/crm',
  description: 'Sync to the data warehouse',
  eventTypes: ['lead.*', 'deal.won'],
  status: 'active',
  disabledReason: null,
  disabledAt: null,
  consecutiveFailures: 0,
  createdAt: '2026-11-25T15:06:50.000Z',
  updatedAt: '2026-11-25T15:06:50.000Z',
};

export const secretExample = 'whsec_5f4dcc3b5aa765d61d8327deb882cf992b95990a9151374abd8ff8c5a7a0fe08';

export const deliveryExample: z.output<typeof WebhookDeliverySchema> = {
  id: '0193a5f7-2b3c-7d4e-8f5a-6b7c8d9e0f1a',
  subscriptionId: subscriptionExample.id,
  eventId: '0193a5f7-1111-7d4e-8f5a-6b7c8d9e0f1a',
  eventType: 'lead.created',
  status: 'retrying',
  attempts: 2,
  responseStatus: 503,
  responseExcerpt: 'Service Unavailable',
  error: 'HTTP 503',
  durationMs: 142,
  nextAttemptAt: '2026-11-25T15:10:50.000Z',
  lastAttemptAt: '2026-11-25T15:08:50.000Z',
  deliveredAt: null,
  createdAt: '2026-11-25T15:06:50.000Z',
};

export const inboundInputExample: z.input<typeof InboundEndpointInput> = {
  name: 'Facebook lead ads',
  mapping: { email: 'lead.email', firstName: 'lead.first_name', phone: 'lead.phone' },
  defaults: { source: 'facebook' },
};

export const inboundTokenExample = `inb_eu_${orgHex}9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822c`;

export const inboundEndpointExample: z.output<typeof InboundEndpointSchema> = {
  id: '0193a5f8-3c4d-7e5f-8a6b-7c8d9e0f1a2b',
  name: 'Facebook lead ads',
  prefix: inboundTokenExample.slice(0, 17),
  mapping: { email: 'lead.email', firstName: 'lead.first_name', phone: 'lead.phone' },
  defaults: { source: 'facebook' },
  active: true,
  lastUsedAt: null,
  createdAt: '2026-11-25T15:06:50.000Z',
};

export const inboundCreatedExample: z.output<typeof InboundEndpointCreated> = {
  endpoint: inboundEndpointExample,
  token: inboundTokenExample,
  url: `/api/v1/inbound/${inboundTokenExample}`,
};

export const inboundPayloadExample = {
  lead: { email: 'grace@navy.example', first_name: 'Grace', phone: '+1 202 555 0147' },
  campaign: 'winter-2026',
};

export const inboundLeadExample = { lead: leadExample };
