-- Duplicate detection's indexes on leads, as measured at 500,000 leads of one organization (docs/performance.md,
-- Findings › API 10); regions/duplicates/queries.ts reads them.
-- 1. A similar name at a similar company through one GIN trigram index of both columns, replacing 0032's index per
--    column: with one per column the planner picked by the query's trigram count, not by the crowd behind it, and a
--    common name at a company nobody else has read 24,863 similar names and their rows (74 ms) to find none. One
--    index of both finds the rows that match both inside the index (0.2 ms for the same question), and a common
--    company's long trigram lists cost little next to the name's, as GIN skips through them.
-- 2. The create path's crowd probes (leadCandidateCount): a few rows of the subject's exact company and of its exact
--    name, through btrees that stop as soon as they are read, where a GIN index builds a bitmap of every similar
--    row first. Plain equality on stored columns is LEAKPROOF, so these are index conditions under row-level
--    security (0024's sort indexes are on lower(), which is not).
CREATE INDEX IF NOT EXISTS "leads_org_name_company_trgm" ON "leads" USING gin ("organization_id", "name_key" gin_trgm_ops, "company" gin_trgm_ops);--> statement-breakpoint
DROP INDEX IF EXISTS "leads_org_name_key_trgm";--> statement-breakpoint
DROP INDEX IF EXISTS "leads_org_company_trgm";--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "leads_org_company" ON "leads" USING btree ("organization_id", "company");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "leads_org_name_key" ON "leads" USING btree ("organization_id", "name_key");
