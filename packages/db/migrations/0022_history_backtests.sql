CREATE TABLE "backtests" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"workflow_id" uuid NOT NULL,
	"status" text NOT NULL,
	"from" timestamp with time zone NOT NULL,
	"to" timestamp with time zone NOT NULL,
	"document" jsonb NOT NULL,
	"live_version" integer,
	"events_total" integer,
	"events_done" integer DEFAULT 0 NOT NULL,
	"result" jsonb,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "backtests_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "backtests" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
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
ALTER TABLE "tenants" ADD COLUMN "history_retention_days" integer DEFAULT 7 NOT NULL;--> statement-breakpoint
ALTER TABLE "backtests" ADD CONSTRAINT "backtests_workflow_fk" FOREIGN KEY ("tenant_id","workflow_id") REFERENCES "public"."workflows"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow_activations" ADD CONSTRAINT "workflow_activations_workflow_fk" FOREIGN KEY ("tenant_id","workflow_id") REFERENCES "public"."workflows"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "backtests_tenant_workflow_created_idx" ON "backtests" USING btree ("tenant_id","workflow_id","created_at");--> statement-breakpoint
CREATE INDEX "backtests_tenant_status_idx" ON "backtests" USING btree ("tenant_id","status");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "backtests" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "workflow_activations" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);