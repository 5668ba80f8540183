CREATE TABLE "analytics_open_deal_buckets" (
	"organization_id" uuid NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"bucket_hours" integer NOT NULL,
	"pipeline_id" uuid NOT NULL,
	"stage_id" uuid NOT NULL,
	"owner_id" uuid,
	"currency" text NOT NULL,
	"deals" integer NOT NULL,
	"amount" numeric NOT NULL
);
--> statement-breakpoint
-- Buckets first, as the other roll-ups' indexes: the analyzer deletes and rebuilds buckets of every pipeline. The
-- pipeline report reads one pipeline's buckets of a window by stage and currency (and owner): every column it reads
-- is in the index, so it can read the index alone.
CREATE INDEX "analytics_open_deal_buckets_org_bucket" ON "analytics_open_deal_buckets" USING btree ("organization_id","bucket_hours","bucket","pipeline_id") INCLUDE ("stage_id","currency","owner_id","deals","amount");--> statement-breakpoint
ALTER TABLE "analytics_open_deal_buckets" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "analytics_open_deal_buckets" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "analytics_open_deal_buckets"
  USING ("organization_id" = nullif(current_setting('app.organization_id', true), '')::uuid)
  WITH CHECK ("organization_id" = nullif(current_setting('app.organization_id', true), '')::uuid);
