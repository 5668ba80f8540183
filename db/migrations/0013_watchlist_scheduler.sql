CREATE TABLE "task_reminders" (
	"organization_id" uuid NOT NULL,
	"activity_id" uuid NOT NULL,
	"owner_id" uuid NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"remind_at" timestamp with time zone NOT NULL,
	"reminded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "task_reminders_organization_id_activity_id_pk" PRIMARY KEY("organization_id","activity_id")
);
--> statement-breakpoint
CREATE TABLE "watches" (
	"organization_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"target_type" text NOT NULL,
	"target_id" uuid NOT NULL,
	"watermark" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "watches_organization_id_id_pk" PRIMARY KEY("organization_id","id")
);
--> statement-breakpoint
CREATE INDEX "task_reminders_org_pending" ON "task_reminders" USING btree ("organization_id","remind_at") WHERE "task_reminders"."reminded_at" is null;--> statement-breakpoint
CREATE INDEX "task_reminders_pending" ON "task_reminders" USING btree ("remind_at") WHERE "task_reminders"."reminded_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "watches_org_user_target" ON "watches" USING btree ("organization_id","user_id","target_type","target_id");--> statement-breakpoint
CREATE INDEX "watches_org_target" ON "watches" USING btree ("organization_id","target_id");--> statement-breakpoint
CREATE INDEX "watches_saved_views" ON "watches" USING btree ("organization_id","id") WHERE "watches"."target_type" = 'saved_view';--> statement-breakpoint
ALTER TABLE "watches" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "watches" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "watches"
  USING ("organization_id" = nullif(current_setting('app.organization_id', true), '')::uuid)
  WITH CHECK ("organization_id" = nullif(current_setting('app.organization_id', true), '')::uuid);
--> statement-breakpoint
ALTER TABLE "task_reminders" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "task_reminders" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "task_reminders"
  USING ("organization_id" = nullif(current_setting('app.organization_id', true), '')::uuid)
  WITH CHECK ("organization_id" = nullif(current_setting('app.organization_id', true), '')::uuid);
--> statement-breakpoint
-- The scheduler (workers/scheduler) finds which organizations of a shard have reminders due and saved views watched
-- in one indexed read each, as the outbox relay does: a transaction that set app.scheduler_scan may read (never
-- write) every organization's rows; each organization's reminders and digests are then worked in its own tenant
-- transaction. Policies are OR-ed; the tenant policy still scopes everything else.
CREATE POLICY "scheduler_scan" ON "watches" FOR SELECT
  USING (current_setting('app.scheduler_scan', true) = 'on');--> statement-breakpoint
CREATE POLICY "scheduler_scan" ON "task_reminders" FOR SELECT
  USING (current_setting('app.scheduler_scan', true) = 'on');
