-- Reports find activities by when they happened. Under row-level security PostgreSQL keeps any expression that is
-- not LEAKPROOF below the tenant policy, and COALESCE counts as such, so 0005's index could never be used by the
-- application role; the same expression written with CASE … IS NULL can (docs/performance.md).
CREATE INDEX IF NOT EXISTS "activities_org_happened_at" ON "activities" ("organization_id", (CASE "type"
  WHEN 'task' THEN (CASE WHEN "done" THEN "completed_at" END)
  WHEN 'meeting' THEN (CASE WHEN "starts_at" IS NULL THEN "created_at" ELSE "starts_at" END)
  ELSE "created_at" END));--> statement-breakpoint
DROP INDEX IF EXISTS "activities_org_happened";
