-- Fair dispatch (endpoint circuits) and the shared ingest rate limit: forced row-level security, and
-- the one cross-tenant read engines need (which endpoints are open).
ALTER TABLE "endpoint_circuits" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
-- Every engine asks, about once a second, which endpoints are open across all tenants: paused ones
-- (resume_at ahead) are left out of its fetches (pg-boss ignoreGroups), and for the others the next
-- delivery decides (a success closes, a failure opens again). Only open rows, only their names.
CREATE FUNCTION tripwire_open_endpoints()
RETURNS TABLE (tenant_id uuid, endpoint text, paused boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  SELECT c.tenant_id, c.endpoint, c.resume_at > now() FROM endpoint_circuits c
  WHERE c.state = 'open'
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION tripwire_open_endpoints() FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION tripwire_open_endpoints() TO tripwire_app;--> statement-breakpoint
CREATE INDEX "endpoint_circuits_open_idx" ON "endpoint_circuits" ("resume_at") WHERE state = 'open';
--> statement-breakpoint
ALTER TABLE "ingest_buckets" FORCE ROW LEVEL SECURITY;
