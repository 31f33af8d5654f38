CREATE TABLE "action_deliveries" (
	"tenant_id" uuid NOT NULL,
	"action_id" text NOT NULL,
	"attempt" integer NOT NULL,
	"run_id" uuid NOT NULL,
	"workflow_id" uuid NOT NULL,
	"node_id" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"outcome" text NOT NULL,
	"http_status" integer,
	"latency_ms" integer,
	"response" text,
	"error" text,
	CONSTRAINT "action_deliveries_tenant_id_action_id_attempt_pk" PRIMARY KEY("tenant_id","action_id","attempt")
);
--> statement-breakpoint
ALTER TABLE "action_deliveries" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "path_counts" (
	"tenant_id" uuid NOT NULL,
	"workflow_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"node_id" text NOT NULL,
	"output" text NOT NULL,
	"shard" smallint NOT NULL,
	"count" bigint NOT NULL,
	CONSTRAINT "path_counts_tenant_id_workflow_id_version_bucket_node_id_output_shard_pk" PRIMARY KEY("tenant_id","workflow_id","version","bucket","node_id","output","shard")
);
--> statement-breakpoint
ALTER TABLE "path_counts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "path_counts" ADD CONSTRAINT "path_counts_tenant_id_workflow_id_workflows_tenant_id_id_fk" FOREIGN KEY ("tenant_id","workflow_id") REFERENCES "public"."workflows"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "action_deliveries_tenant_run_idx" ON "action_deliveries" USING btree ("tenant_id","run_id");--> statement-breakpoint
CREATE INDEX "action_deliveries_tenant_at_idx" ON "action_deliveries" USING btree ("tenant_id","at");--> statement-breakpoint
CREATE INDEX "runs_tenant_started_idx" ON "runs" USING btree ("tenant_id","started_at","id");--> statement-breakpoint
CREATE INDEX "runs_tenant_user_started_idx" ON "runs" USING btree ("tenant_id","user_id","started_at");--> statement-breakpoint
CREATE INDEX "runs_tenant_workflow_status_started_idx" ON "runs" USING btree ("tenant_id","workflow_id","status","started_at");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "action_deliveries" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "path_counts" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);