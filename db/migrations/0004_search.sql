-- Full-text and typo-tolerant search, kept in the same transaction as every write: a generated column and
-- expression indexes over it, so the index can never lag the record (queries must use the same expressions).
-- btree_gin lets organization_id lead the GIN indexes, like every tenant index.
CREATE EXTENSION IF NOT EXISTS btree_gin;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "search_text" text GENERATED ALWAYS AS (lower(
  coalesce("first_name", '') || ' ' || coalesce("last_name", '') || ' ' || coalesce("email", '') || ' ' ||
  coalesce("phone", '') || ' ' || coalesce("company", '') || ' ' || coalesce("title", '') || ' ' || coalesce("source", '')
)) STORED;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "search_text" text GENERATED ALWAYS AS (lower(
  coalesce("first_name", '') || ' ' || coalesce("last_name", '') || ' ' || coalesce("email", '') || ' ' ||
  coalesce("phone", '') || ' ' || coalesce("title", '')
)) STORED;--> statement-breakpoint
ALTER TABLE "companies" ADD COLUMN "search_text" text GENERATED ALWAYS AS (lower(
  coalesce("name", '') || ' ' || coalesce("domain", '') || ' ' || coalesce("industry", '')
)) STORED;--> statement-breakpoint
ALTER TABLE "deals" ADD COLUMN "search_text" text GENERATED ALWAYS AS (lower(coalesce("name", ''))) STORED;--> statement-breakpoint
CREATE INDEX "leads_org_search" ON "leads" USING gin ("organization_id", to_tsvector('simple'::regconfig, "search_text"));--> statement-breakpoint
CREATE INDEX "contacts_org_search" ON "contacts" USING gin ("organization_id", to_tsvector('simple'::regconfig, "search_text"));--> statement-breakpoint
CREATE INDEX "companies_org_search" ON "companies" USING gin ("organization_id", to_tsvector('simple'::regconfig, "search_text"));--> statement-breakpoint
CREATE INDEX "deals_org_search" ON "deals" USING gin ("organization_id", to_tsvector('simple'::regconfig, "search_text"));--> statement-breakpoint
CREATE INDEX "leads_org_search_trgm" ON "leads" USING gin ("organization_id", "search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "contacts_org_search_trgm" ON "contacts" USING gin ("organization_id", "search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "companies_org_search_trgm" ON "companies" USING gin ("organization_id", "search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "deals_org_search_trgm" ON "deals" USING gin ("organization_id", "search_text" gin_trgm_ops);
