-- Indexes the reports, filters and pipeline rules read through; each leads with organization_id.
CREATE INDEX "leads_org_created" ON "leads" ("organization_id", "created_at");--> statement-breakpoint
CREATE INDEX "deals_org_created" ON "deals" ("organization_id", "created_at");--> statement-breakpoint
CREATE INDEX "deals_org_status_closed" ON "deals" ("organization_id", "status", "closed_at");--> statement-breakpoint
CREATE INDEX "deals_org_pipeline" ON "deals" ("organization_id", "pipeline_id", "id");--> statement-breakpoint
-- Must repeat regions/analytics/sql.ts activityHappenedAt exactly, or the planner cannot use it.
CREATE INDEX "activities_org_happened" ON "activities" ("organization_id", (CASE "type" WHEN 'task' THEN (CASE WHEN "done" THEN "completed_at" END) WHEN 'meeting' THEN coalesce("starts_at", "created_at") ELSE "created_at" END));--> statement-breakpoint
-- A backstop behind the lock that keeps one default pipeline per organization.
CREATE UNIQUE INDEX "pipelines_org_default" ON "pipelines" ("organization_id") WHERE "is_default";--> statement-breakpoint
CREATE INDEX "leads_org_tags" ON "leads" USING gin ("organization_id", "tags");--> statement-breakpoint
CREATE INDEX "contacts_org_tags" ON "contacts" USING gin ("organization_id", "tags");--> statement-breakpoint
CREATE INDEX "companies_org_tags" ON "companies" USING gin ("organization_id", "tags");--> statement-breakpoint
CREATE INDEX "deals_org_tags" ON "deals" USING gin ("organization_id", "tags");
