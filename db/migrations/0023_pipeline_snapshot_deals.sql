CREATE TABLE "pipeline_snapshot_deals" (
	"organization_id" uuid NOT NULL,
	"deal_id" uuid NOT NULL,
	"first_day" date NOT NULL,
	CONSTRAINT "pipeline_snapshot_deals_organization_id_deal_id_pk" PRIMARY KEY("organization_id","deal_id")
);
--> statement-breakpoint
ALTER TABLE "pipeline_snapshot_deals" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "pipeline_snapshot_deals" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "pipeline_snapshot_deals"
  USING ("organization_id" = nullif(current_setting('app.organization_id', true), '')::uuid)
  WITH CHECK ("organization_id" = nullif(current_setting('app.organization_id', true), '')::uuid);
