-- Duplicate detection (regions/duplicates/match.ts) through indexes, under row-level security. RLS makes the planner
-- run the tenant policy before any condition that is not LEAKPROOF, and only a superuser can mark a function so:
-- lower(), regexp_replace() and pg_trgm's % operator are not, so an expression index on them, or a GIN trigram index,
-- is never an index condition for the application role (it would filter every row of the organization instead).
-- So: the normalised email and phone are stored generated columns (the SQL twins of normaliseEmail/normalisePhone),
-- compared with plain text equality, which is leakproof; and similar names are found by ordering a GiST trigram index
-- by distance (an ORDER BY is not held back by RLS), nearest first, which btree_gist lets organization_id lead.
CREATE EXTENSION IF NOT EXISTS btree_gist;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN IF NOT EXISTS "email_key" text GENERATED ALWAYS AS (lower(btrim("email"))) STORED;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN IF NOT EXISTS "phone_key" text GENERATED ALWAYS AS (CASE WHEN "phone" ~ '^\s*\+' THEN '+' ELSE '' END || regexp_replace("phone", '[^0-9]', '', 'g')) STORED;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN IF NOT EXISTS "email_key" text GENERATED ALWAYS AS (lower(btrim("email"))) STORED;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN IF NOT EXISTS "phone_key" text GENERATED ALWAYS AS (CASE WHEN "phone" ~ '^\s*\+' THEN '+' ELSE '' END || regexp_replace("phone", '[^0-9]', '', 'g')) STORED;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "leads_org_email_key" ON "leads" ("organization_id", "email_key");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "leads_org_phone_key" ON "leads" ("organization_id", "phone_key");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "contacts_org_email_key" ON "contacts" ("organization_id", "email_key");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "contacts_org_phone_key" ON "contacts" ("organization_id", "phone_key");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "leads_org_name_trgm" ON "leads" USING gist ("organization_id", btrim("first_name" || ' ' || "last_name") gist_trgm_ops);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "contacts_org_name_trgm" ON "contacts" USING gist ("organization_id", btrim("first_name" || ' ' || "last_name") gist_trgm_ops);
