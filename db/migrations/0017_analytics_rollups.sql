CREATE TABLE "analytics_activity_buckets" (
	"organization_id" uuid NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"bucket_hours" integer NOT NULL,
	"owner_id" uuid,
	"type" text NOT NULL,
	"activities" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_hour_records" (
	"organization_id" uuid NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"record_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_lead_buckets" (
	"organization_id" uuid NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"bucket_hours" integer NOT NULL,
	"owner_id" uuid,
	"source" text,
	"leads" integer NOT NULL,
	"converted" integer NOT NULL,
	"contacts" integer NOT NULL,
	"deals" integer NOT NULL,
	"won" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_state" (
	"organization_id" uuid PRIMARY KEY NOT NULL,
	"settled_id" uuid NOT NULL,
	"backfill_cursor" timestamp with time zone,
	"backfilled_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_won_deal_buckets" (
	"organization_id" uuid NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"bucket_hours" integer NOT NULL,
	"owner_id" uuid,
	"currency" text NOT NULL,
	"deals" integer NOT NULL,
	"revenue" numeric
);
--> statement-breakpoint
CREATE INDEX "analytics_activity_buckets_org_bucket" ON "analytics_activity_buckets" USING btree ("organization_id","bucket_hours","bucket");--> statement-breakpoint
CREATE INDEX "analytics_hour_records_org_record" ON "analytics_hour_records" USING btree ("organization_id","record_id");--> statement-breakpoint
CREATE INDEX "analytics_hour_records_org_hour" ON "analytics_hour_records" USING btree ("organization_id","hour");--> statement-breakpoint
CREATE INDEX "analytics_lead_buckets_org_bucket" ON "analytics_lead_buckets" USING btree ("organization_id","bucket_hours","bucket");--> statement-breakpoint
CREATE INDEX "analytics_won_deal_buckets_org_bucket" ON "analytics_won_deal_buckets" USING btree ("organization_id","bucket_hours","bucket");--> statement-breakpoint
ALTER TABLE "analytics_lead_buckets" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "analytics_lead_buckets" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "analytics_lead_buckets"
  USING ("organization_id" = nullif(current_setting('app.organization_id', true), '')::uuid)
  WITH CHECK ("organization_id" = nullif(current_setting('app.organization_id', true), '')::uuid);
--> statement-breakpoint
ALTER TABLE "analytics_activity_buckets" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "analytics_activity_buckets" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "analytics_activity_buckets"
  USING ("organization_id" = nullif(current_setting('app.organization_id', true), '')::uuid)
  WITH CHECK ("organization_id" = nullif(current_setting('app.organization_id', true), '')::uuid);
--> statement-breakpoint
ALTER TABLE "analytics_won_deal_buckets" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "analytics_won_deal_buckets" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "analytics_won_deal_buckets"
  USING ("organization_id" = nullif(current_setting('app.organization_id', true), '')::uuid)
  WITH CHECK ("organization_id" = nullif(current_setting('app.organization_id', true), '')::uuid);
--> statement-breakpoint
ALTER TABLE "analytics_hour_records" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "analytics_hour_records" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "analytics_hour_records"
  USING ("organization_id" = nullif(current_setting('app.organization_id', true), '')::uuid)
  WITH CHECK ("organization_id" = nullif(current_setting('app.organization_id', true), '')::uuid);
--> statement-breakpoint
ALTER TABLE "analytics_state" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "analytics_state" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "analytics_state"
  USING ("organization_id" = nullif(current_setting('app.organization_id', true), '')::uuid)
  WITH CHECK ("organization_id" = nullif(current_setting('app.organization_id', true), '')::uuid);
