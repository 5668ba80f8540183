-- Similar names for duplicate detection (regions/duplicates/queries.ts) through GIN trigram indexes, replacing
-- 0007's GiST indexes read nearest first: for a name near no other, or a very common one, that walk read the whole
-- index (seconds on an organization of 500,000 leads). Under row-level security a condition becomes an index
-- condition only when every function in it is LEAKPROOF, so, as search did in 0018:
-- 1. The compared name is a stored generated column `name_key`, exactly the expression 0007 indexed (pg_trgm folds
--    case itself, so it is not lower-cased), and the query calls only pg_trgm's % on columns.
-- 2. similarity_op (%) is marked LEAKPROOF: it compares its arguments and raises no error that depends on them. Only
--    a superuser may, so this block does it when the migration runs as one (embedded PGlite); on a server the
--    one-time superuser set-up does (scripts/db-setup.ts, `npm run db:setup`, and scripts/backup.ts after a
--    restore). Without it duplicates are still found correctly, through the organization's rows.
-- A similar name counts only at a similar company, so leads' companies get a trigram index too: the planner reads
-- whichever of the two is more selective (a common name at a rare company costs no reads of the name's crowd), and
-- one index of both columns would read the long trigram lists of a common company name on every check. Contacts
-- name their company through companies, whose names get their own index for the same test.
-- The GiST indexes go first, so that adding the columns does not rewrite them.
DROP INDEX IF EXISTS "leads_org_name_trgm";--> statement-breakpoint
DROP INDEX IF EXISTS "contacts_org_name_trgm";--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "name_key" text GENERATED ALWAYS AS (btrim("first_name" || ' ' || "last_name")) STORED;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "name_key" text GENERATED ALWAYS AS (btrim("first_name" || ' ' || "last_name")) STORED;--> statement-breakpoint
CREATE INDEX "leads_org_name_key_trgm" ON "leads" USING gin ("organization_id", "name_key" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "leads_org_company_trgm" ON "leads" USING gin ("organization_id", "company" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "contacts_org_name_key_trgm" ON "contacts" USING gin ("organization_id", "name_key" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "companies_org_name_trgm" ON "companies" USING gin ("organization_id", "name" gin_trgm_ops);--> statement-breakpoint
DO $$
BEGIN
  IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    ALTER FUNCTION similarity_op(text, text) LEAKPROOF;
  END IF;
END $$;
