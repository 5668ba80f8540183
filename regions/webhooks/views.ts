import type { inboundEndpoints, webhookDeliveries, webhookSubscriptions } from '../../db/schema/index.ts';

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

/** A subscription as the API shows it: never its secret. */
export const subscriptionView = (s: typeof webhookSubscriptions.$inferSelect) => ({
  id: s.id,
  url: s.url,
  description: s.description,
  eventTypes: s.eventTypes,
  status: s.status,
  disabledReason: s.disabledReason,
  disabledAt: isoOrNull(s.disabledAt),
  consecutiveFailures: s.consecutiveFailures,
  createdAt: iso(s.createdAt),
  updatedAt: iso(s.updatedAt),
});

export const deliveryView = (d: typeof webhookDeliveries.$inferSelect) => ({
  id: d.id,
  subscriptionId: d.subscriptionId,
  eventId: d.eventId,
  eventType: d.eventType,
  status: d.status,
  attempts: d.attempts,
  responseStatus: d.responseStatus,
  responseExcerpt: d.responseExcerpt,
  error: d.error,
  durationMs: d.durationMs,
  nextAttemptAt: isoOrNull(d.nextAttemptAt),
  lastAttemptAt: isoOrNull(d.lastAttemptAt),
  deliveredAt: isoOrNull(d.deliveredAt),
  createdAt: iso(d.createdAt),
});

/** An inbound endpoint without its token (only its hash is kept). */
export const inboundView = (e: typeof inboundEndpoints.$inferSelect) => ({
  id: e.id,
  name: e.name,
  prefix: e.prefix,
  mapping: e.mapping as Record<string, string>,
  defaults: (e.defaults as Record<string, string> | null) ?? null,
  active: e.active,
  lastUsedAt: isoOrNull(e.lastUsedAt),
  createdAt: iso(e.createdAt),
});
