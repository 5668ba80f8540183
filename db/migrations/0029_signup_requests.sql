CREATE TABLE "signup_requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"email" text NOT NULL,
	"new_organization_id" uuid NOT NULL,
	"organization_name" text NOT NULL,
	"user_name" text DEFAULT '' NOT NULL,
	"password_hash" text,
	"token_hash" text,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"requested_ip" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "signup_requests_token_hash" ON "signup_requests" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "signup_requests_email_created" ON "signup_requests" USING btree ("email","created_at");