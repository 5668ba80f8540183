-- A GIN index takes new rows into a pending list (fastupdate) that every scan reads through, row by row, before
-- the index proper, until the list passes gin_pending_list_limit (4 MB by default) or autovacuum merges it. After
-- a few thousand new leads every duplicate check and search read 200-350 pending pages per index: a duplicate
-- count that finds nothing took 7.3 ms instead of 2.9 (docs/performance.md, Findings › API 10). A limit of 512 kB
-- keeps at most 64 such pages behind each index, while bulk writes (imports) still merge in batches.
ALTER INDEX "leads_org_name_company_trgm" SET (gin_pending_list_limit = 512);--> statement-breakpoint
ALTER INDEX "leads_org_search_trgm" SET (gin_pending_list_limit = 512);--> statement-breakpoint
ALTER INDEX "leads_org_search_vector" SET (gin_pending_list_limit = 512);--> statement-breakpoint
ALTER INDEX "leads_org_tags" SET (gin_pending_list_limit = 512);--> statement-breakpoint
ALTER INDEX "contacts_org_name_key_trgm" SET (gin_pending_list_limit = 512);--> statement-breakpoint
ALTER INDEX "contacts_org_search_trgm" SET (gin_pending_list_limit = 512);--> statement-breakpoint
ALTER INDEX "contacts_org_search_vector" SET (gin_pending_list_limit = 512);--> statement-breakpoint
ALTER INDEX "contacts_org_tags" SET (gin_pending_list_limit = 512);--> statement-breakpoint
ALTER INDEX "companies_org_name_trgm" SET (gin_pending_list_limit = 512);--> statement-breakpoint
ALTER INDEX "companies_org_search_trgm" SET (gin_pending_list_limit = 512);--> statement-breakpoint
ALTER INDEX "companies_org_search_vector" SET (gin_pending_list_limit = 512);--> statement-breakpoint
ALTER INDEX "companies_org_tags" SET (gin_pending_list_limit = 512);--> statement-breakpoint
ALTER INDEX "deals_org_search_trgm" SET (gin_pending_list_limit = 512);--> statement-breakpoint
ALTER INDEX "deals_org_search_vector" SET (gin_pending_list_limit = 512);--> statement-breakpoint
ALTER INDEX "deals_org_tags" SET (gin_pending_list_limit = 512);--> statement-breakpoint
ALTER INDEX "activities_org_tags" SET (gin_pending_list_limit = 512);
