CREATE TABLE "pipeline_snapshot_days" (
	"organization_id" uuid NOT NULL,
	"day" date NOT NULL,
	CONSTRAINT "pipeline_snapshot_days_organization_id_day_pk" PRIMARY KEY("organization_id","day")
);
--> statement-breakpoint
CREATE TABLE "pipeline_snapshots" (
	"organization_id" uuid NOT NULL,
	"day" date NOT NULL,
	"pipeline_id" uuid NOT NULL,
	"stage_id" uuid NOT NULL,
	"owner_id" uuid,
	"currency" text NOT NULL,
	"deals" integer NOT NULL,
	"amount" numeric NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scoring_rules" (
	"organization_id" uuid PRIMARY KEY NOT NULL,
	"rules" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"recompute_status" text DEFAULT 'idle' NOT NULL,
	"recompute_done" integer DEFAULT 0 NOT NULL,
	"recompute_total" integer DEFAULT 0 NOT NULL,
	"recompute_cursor" uuid,
	"recompute_started_at" timestamp with time zone,
	"recompute_finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "pipeline_snapshots_org_pipeline_day" ON "pipeline_snapshots" USING btree ("organization_id","pipeline_id","day");
--> statement-breakpoint
ALTER TABLE "pipeline_snapshots" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "pipeline_snapshots" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "pipeline_snapshots"
  USING ("organization_id" = nullif(current_setting('app.organization_id', true), '')::uuid)
  WITH CHECK ("organization_id" = nullif(current_setting('app.organization_id', true), '')::uuid);
--> statement-breakpoint
ALTER TABLE "pipeline_snapshot_days" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "pipeline_snapshot_days" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "pipeline_snapshot_days"
  USING ("organization_id" = nullif(current_setting('app.organization_id', true), '')::uuid)
  WITH CHECK ("organization_id" = nullif(current_setting('app.organization_id', true), '')::uuid);
--> statement-breakpoint
ALTER TABLE "scoring_rules" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "scoring_rules" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "scoring_rules"
  USING ("organization_id" = nullif(current_setting('app.organization_id', true), '')::uuid)
  WITH CHECK ("organization_id" = nullif(current_setting('app.organization_id', true), '')::uuid);
