-- Lead dispatch (workers/dispatch): assignment rules, their members and round-robin cursors, rep availability, and
-- the log of every assignment with its explanation; leads gain the country, region and industry territory rules match.
CREATE TABLE "assignment_cursors" (
	"organization_id" uuid NOT NULL,
	"rule_id" uuid NOT NULL,
	"last_user_id" uuid,
	"assigned_count" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assignment_cursors_organization_id_rule_id_pk" PRIMARY KEY("organization_id","rule_id")
);
--> statement-breakpoint
CREATE TABLE "assignment_rule_members" (
	"organization_id" uuid NOT NULL,
	"rule_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"weight" integer DEFAULT 1 NOT NULL,
	"territory" jsonb,
	CONSTRAINT "assignment_rule_members_organization_id_rule_id_user_id_pk" PRIMARY KEY("organization_id","rule_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "assignment_rules" (
	"organization_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"strategy" text NOT NULL,
	"conditions" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assignment_rules_organization_id_id_pk" PRIMARY KEY("organization_id","id")
);
--> statement-breakpoint
CREATE TABLE "lead_assignments" (
	"organization_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"lead_id" uuid NOT NULL,
	"rule_id" uuid,
	"owner_id" uuid,
	"event_id" uuid NOT NULL,
	"explanation" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lead_assignments_organization_id_id_pk" PRIMARY KEY("organization_id","id")
);
--> statement-breakpoint
CREATE TABLE "rep_availability" (
	"organization_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"away" boolean DEFAULT false NOT NULL,
	"away_until" timestamp with time zone,
	"max_open_leads" integer,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rep_availability_organization_id_user_id_pk" PRIMARY KEY("organization_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "country" text;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "region" text;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "industry" text;--> statement-breakpoint
CREATE INDEX "assignment_rules_org_position" ON "assignment_rules" USING btree ("organization_id","position","id");--> statement-breakpoint
CREATE INDEX "lead_assignments_org_lead" ON "lead_assignments" USING btree ("organization_id","lead_id","id");--> statement-breakpoint
ALTER TABLE "assignment_rules" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "assignment_rules" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "assignment_rules"
  USING ("organization_id" = nullif(current_setting('app.organization_id', true), '')::uuid)
  WITH CHECK ("organization_id" = nullif(current_setting('app.organization_id', true), '')::uuid);--> statement-breakpoint
ALTER TABLE "assignment_rule_members" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "assignment_rule_members" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "assignment_rule_members"
  USING ("organization_id" = nullif(current_setting('app.organization_id', true), '')::uuid)
  WITH CHECK ("organization_id" = nullif(current_setting('app.organization_id', true), '')::uuid);--> statement-breakpoint
ALTER TABLE "assignment_cursors" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "assignment_cursors" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "assignment_cursors"
  USING ("organization_id" = nullif(current_setting('app.organization_id', true), '')::uuid)
  WITH CHECK ("organization_id" = nullif(current_setting('app.organization_id', true), '')::uuid);--> statement-breakpoint
ALTER TABLE "rep_availability" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "rep_availability" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "rep_availability"
  USING ("organization_id" = nullif(current_setting('app.organization_id', true), '')::uuid)
  WITH CHECK ("organization_id" = nullif(current_setting('app.organization_id', true), '')::uuid);--> statement-breakpoint
ALTER TABLE "lead_assignments" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "lead_assignments" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "lead_assignments"
  USING ("organization_id" = nullif(current_setting('app.organization_id', true), '')::uuid)
  WITH CHECK ("organization_id" = nullif(current_setting('app.organization_id', true), '')::uuid);