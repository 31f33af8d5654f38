CREATE TABLE "workflow_version_problems" (
	"tenant_id" uuid NOT NULL,
	"workflow_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"problems" jsonb NOT NULL,
	"detected_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "workflow_version_problems_tenant_id_workflow_id_version_pk" PRIMARY KEY("tenant_id","workflow_id","version")
);
--> statement-breakpoint
ALTER TABLE "workflow_version_problems" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "waiters" ADD COLUMN "resume_output" text;--> statement-breakpoint
ALTER TABLE "workflow_version_problems" ADD CONSTRAINT "workflow_version_problems_workflow_fk" FOREIGN KEY ("tenant_id","workflow_id") REFERENCES "public"."workflows"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "workflow_version_problems" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
ALTER TABLE "workflow_version_problems" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- Engines load every active version without a tenant; they also need to know which versions they
-- marked broken before (to clear the mark when a release can run them again).
CREATE FUNCTION tripwire_version_problem_keys()
RETURNS TABLE (tenant_id uuid, workflow_id uuid, version integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  SELECT p.tenant_id, p.workflow_id, p.version FROM workflow_version_problems p
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION tripwire_version_problem_keys() FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION tripwire_version_problem_keys() TO tripwire_app;
