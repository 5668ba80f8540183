-- Covering indexes for the deal reports, so they read the index alone (an index-only scan) and never the deals' heap:
-- the pipeline report (open deals of a pipeline created in a range, by stage and currency) and the revenue and
-- win-rate reports (won or lost deals closed in a range). Every column they read is in the index; `status` of the
-- pipeline report is the partial index's predicate. They replace the narrower deals_org_status_closed.
CREATE INDEX "deals_org_pipeline_open_created" ON "deals" ("organization_id", "pipeline_id", "created_at") INCLUDE ("stage_id", "currency", "amount", "owner_id") WHERE "status" = 'open';--> statement-breakpoint
CREATE INDEX "deals_org_status_closed_cover" ON "deals" ("organization_id", "status", "closed_at") INCLUDE ("created_at", "currency", "amount", "owner_id");--> statement-breakpoint
DROP INDEX IF EXISTS "deals_org_status_closed";
