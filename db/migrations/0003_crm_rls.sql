-- Row-level security on every CRM table, as in 0001: each transaction sees only the organization it named.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY[
    'companies', 'contacts', 'pipelines', 'pipeline_stages', 'deals', 'deal_stage_changes', 'activities',
    'custom_field_definitions', 'saved_views', 'attachments', 'imports'
  ] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I '
      'USING (organization_id = nullif(current_setting(''app.organization_id'', true), '''')::uuid) '
      'WITH CHECK (organization_id = nullif(current_setting(''app.organization_id'', true), '''')::uuid)',
      t
    );
  END LOOP;
END $$;--> statement-breakpoint
ALTER TABLE "pipeline_stages" ADD CONSTRAINT "pipeline_stages_probability_check" CHECK ("probability" BETWEEN 0 AND 100);--> statement-breakpoint
ALTER TABLE "deals" ADD CONSTRAINT "deals_amount_check" CHECK ("amount" >= 0);--> statement-breakpoint
ALTER TABLE "deals" ADD CONSTRAINT "deals_currency_check" CHECK ("currency" ~ '^[A-Z]{3}$');--> statement-breakpoint
-- Trigram similarity for duplicate detection and typo-tolerant search (a trusted extension: a database owner may create it).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
