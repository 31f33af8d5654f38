ALTER TABLE "processed_events" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "user_marks" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "runs" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "waiters" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "action_attempts" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "dead_letters" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
-- pg-boss keeps its queues in its own schema, created and migrated by pg-boss itself at start;
-- the app role owns it so pg-boss can add a table per queue. Job payloads carry tenantId and are
-- only ever read back by the engine's workers; tenants see their jobs through dead_letters (RLS).
CREATE SCHEMA IF NOT EXISTS pgboss AUTHORIZATION tripwire_app;--> statement-breakpoint
-- Retention across all tenants in one statement each (the engine's hourly maintenance).
CREATE FUNCTION tripwire_prune(p_runs_before timestamptz, p_processed_before timestamptz, p_marks_before timestamptz)
RETURNS TABLE (runs bigint, processed_events bigint, user_marks bigint)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  r bigint; p bigint; m bigint;
BEGIN
  DELETE FROM runs WHERE finished_at IS NOT NULL AND finished_at < p_runs_before; GET DIAGNOSTICS r = ROW_COUNT;
  DELETE FROM processed_events WHERE processed_at < p_processed_before; GET DIAGNOSTICS p = ROW_COUNT;
  DELETE FROM user_marks WHERE at < p_marks_before; GET DIAGNOSTICS m = ROW_COUNT;
  RETURN QUERY SELECT r, p, m;
END
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION tripwire_prune(timestamptz, timestamptz, timestamptz) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION tripwire_prune(timestamptz, timestamptz, timestamptz) TO tripwire_app;--> statement-breakpoint
-- Known tenants, for telling an event of an unknown tenant (dead-lettered) from a quiet one.
CREATE FUNCTION tripwire_tenant_exists(p_tenant_id uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$ SELECT EXISTS (SELECT 1 FROM tenants WHERE id = p_tenant_id) $$;--> statement-breakpoint
REVOKE ALL ON FUNCTION tripwire_tenant_exists(uuid) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION tripwire_tenant_exists(uuid) TO tripwire_app;
