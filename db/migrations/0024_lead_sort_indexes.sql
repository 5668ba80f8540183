CREATE INDEX "leads_org_score" ON "leads" USING btree ("organization_id","score","id");--> statement-breakpoint
CREATE INDEX "leads_org_company_sort" ON "leads" USING btree ("organization_id",lower(coalesce("company", '')),"id");--> statement-breakpoint
CREATE INDEX "leads_org_name_sort" ON "leads" USING btree ("organization_id",lower("first_name" || ' ' || "last_name"),"id");