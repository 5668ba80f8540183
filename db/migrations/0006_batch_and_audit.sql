-- External ids let integrations upsert by their own key (the batch API); unique per organization when present.
ALTER TABLE "leads" ADD COLUMN "external_id" text;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "external_id" text;--> statement-breakpoint
ALTER TABLE "companies" ADD COLUMN "external_id" text;--> statement-breakpoint
ALTER TABLE "deals" ADD COLUMN "external_id" text;--> statement-breakpoint
CREATE UNIQUE INDEX "leads_org_external" ON "leads" ("organization_id", "external_id") WHERE "external_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "contacts_org_external" ON "contacts" ("organization_id", "external_id") WHERE "external_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "companies_org_external" ON "companies" ("organization_id", "external_id") WHERE "external_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "deals_org_external" ON "deals" ("organization_id", "external_id") WHERE "external_id" IS NOT NULL;--> statement-breakpoint
-- Tags on activities too, like every other record.
ALTER TABLE "activities" ADD COLUMN "tags" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
CREATE INDEX "activities_org_tags" ON "activities" USING gin ("organization_id", "tags");--> statement-breakpoint
-- The audit-log filters: by actor, and by action prefix (LIKE 'lead.%').
CREATE INDEX "audit_log_org_actor" ON "audit_log" ("organization_id", "actor_id", "id");--> statement-breakpoint
CREATE INDEX "audit_log_org_action" ON "audit_log" ("organization_id", "action" text_pattern_ops, "id");--> statement-breakpoint
CREATE INDEX "attachments_org_record_type" ON "attachments" ("organization_id", "record_type", "record_id");
