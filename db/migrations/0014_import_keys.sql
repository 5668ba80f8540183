CREATE TABLE "import_keys" (
	"organization_id" uuid NOT NULL,
	"import_id" uuid NOT NULL,
	"key" text NOT NULL,
	"line" integer NOT NULL,
	CONSTRAINT "import_keys_organization_id_import_id_key_pk" PRIMARY KEY("organization_id","import_id","key")
);
--> statement-breakpoint
ALTER TABLE "import_keys" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "import_keys" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "import_keys"
  USING ("organization_id" = nullif(current_setting('app.organization_id', true), '')::uuid)
  WITH CHECK ("organization_id" = nullif(current_setting('app.organization_id', true), '')::uuid);
