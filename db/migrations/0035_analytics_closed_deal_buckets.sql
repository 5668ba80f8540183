CREATE TABLE "analytics_closed_deal_buckets" (
	"organization_id" uuid NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"bucket_hours" integer NOT NULL,
	"owner_id" uuid,
	"status" text NOT NULL,
	"deals" integer NOT NULL,
	"cycle_seconds" numeric NOT NULL
);
--> statement-breakpoint
-- The win-rate report reads a window's buckets by status (and owner): every column it reads is in the index.
CREATE INDEX "analytics_closed_deal_buckets_org_bucket" ON "analytics_closed_deal_buckets" USING btree ("organization_id","bucket_hours","bucket") INCLUDE ("owner_id","status","deals","cycle_seconds");--> statement-breakpoint
ALTER TABLE "analytics_closed_deal_buckets" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "analytics_closed_deal_buckets" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "analytics_closed_deal_buckets"
  USING ("organization_id" = nullif(current_setting('app.organization_id', true), '')::uuid)
  WITH CHECK ("organization_id" = nullif(current_setting('app.organization_id', true), '')::uuid);--> statement-breakpoint
-- Roll-ups built before have no closed-deal rows: forgetting every organization's analytics state sends its reports
-- to the base tables until its next event starts a fresh backfill, as migration 0034 did. TRUNCATE, which
-- row-level security does not filter.
TRUNCATE "analytics_state";
