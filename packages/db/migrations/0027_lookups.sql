CREATE TABLE "lookup_cache" (
	"tenant_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"request_hash" text NOT NULL,
	"status" integer NOT NULL,
	"value" jsonb NOT NULL,
	"fetched_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lookup_cache_tenant_id_user_id_request_hash_pk" PRIMARY KEY("tenant_id","user_id","request_hash")
);
--> statement-breakpoint
ALTER TABLE "lookup_cache" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "lookups" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "lookup_cache" ADD CONSTRAINT "lookup_cache_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lookup_cache_tenant_fetched_idx" ON "lookup_cache" USING btree ("tenant_id","fetched_at");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "lookup_cache" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);