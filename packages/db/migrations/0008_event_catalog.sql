CREATE TABLE "event_catalog" (
	"tenant_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"event_name" text DEFAULT '' NOT NULL,
	"path" text NOT NULL,
	"sample" jsonb,
	"last_seen" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "event_catalog_tenant_id_kind_event_name_path_pk" PRIMARY KEY("tenant_id","kind","event_name","path")
);
--> statement-breakpoint
ALTER TABLE "event_catalog" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "event_catalog" ADD CONSTRAINT "event_catalog_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "event_catalog" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);