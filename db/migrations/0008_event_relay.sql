-- The outbox relay (regions/events/relay.ts) and idempotent consumers (regions/events/consumer.ts).
-- activities.tags and the external_id columns were added by the hand-written 0006; this migration's snapshot
-- catches drizzle's bookkeeping up with them.
CREATE TABLE "outbox_relay_lease" (
	"shard" text PRIMARY KEY NOT NULL,
	"holder" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "processed_events" (
	"organization_id" uuid NOT NULL,
	"consumer" text NOT NULL,
	"event_id" uuid NOT NULL,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "processed_events_organization_id_consumer_event_id_pk" PRIMARY KEY("organization_id","consumer","event_id")
);
--> statement-breakpoint
-- The relay publishes every organization's events on a shard, so the outbox has a second, deliberate policy: a
-- transaction that set app.outbox_relay sees all rows. Policies are OR-ed; the tenant policy still scopes everything else.
CREATE POLICY "outbox_relay" ON "outbox"
  USING (current_setting('app.outbox_relay', true) = 'on')
  WITH CHECK (current_setting('app.outbox_relay', true) = 'on');--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "outbox_unpublished" ON "outbox" ("id") WHERE "published_at" IS NULL;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "outbox_published_at" ON "outbox" ("published_at") WHERE "published_at" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "processed_events" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "processed_events" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "processed_events"
  USING ("organization_id" = nullif(current_setting('app.organization_id', true), '')::uuid)
  WITH CHECK ("organization_id" = nullif(current_setting('app.organization_id', true), '')::uuid);
