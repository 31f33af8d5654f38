CREATE TABLE "workflow_activations" (
	"tenant_id" uuid NOT NULL,
	"workflow_id" uuid NOT NULL,
	"seq" bigserial NOT NULL,
	"version" integer,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "workflow_activations_tenant_id_workflow_id_seq_pk" PRIMARY KEY("tenant_id","workflow_id","seq")
);
--> statement-breakpoint
ALTER TABLE "workflow_activations" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "workflow_activations" ADD CONSTRAINT "workflow_activations_workflow_fk" FOREIGN KEY ("tenant_id","workflow_id") REFERENCES "public"."workflows"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "workflow_activations" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);