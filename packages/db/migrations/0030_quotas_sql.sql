-- Quotas per tenant (decision 039): forced row-level security on the usage counters, the checks the
-- app also makes, the API-key lookup with the plan's limits, and plan changes reaching every web process.
ALTER TABLE "usage_counters" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "usage_counters" ADD CONSTRAINT "usage_counters_metric_check" CHECK (metric IN ('events', 'actions'));--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_over_quota_actions_check" CHECK (over_quota_actions IN ('hold', 'drop'));--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_limits_check" CHECK (
  coalesce(ingest_rate_per_second, 1) >= 1 AND coalesce(ingest_burst, 1) >= 1
  AND coalesce(events_per_month, 0) >= 0 AND coalesce(actions_per_day, 0) >= 0 AND coalesce(workflows, 0) >= 0
);--> statement-breakpoint
-- A request carries only its API key: its tenant, scope, and the limits ingestion applies (the
-- plan's rate, or the tenant's own; the plan's monthly event quota, null for none).
DROP FUNCTION tripwire_resolve_api_key(text);--> statement-breakpoint
CREATE FUNCTION tripwire_resolve_api_key(p_hash text)
RETURNS TABLE (tenant_id uuid, key_id uuid, scope api_key_scope, revoked boolean,
               ingest_rate_per_second integer, ingest_burst integer, events_per_month bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  SELECT k.tenant_id, k.id, k.scope, k.revoked_at IS NOT NULL,
         coalesce(p.ingest_rate_per_second, t.ingest_rate_per_second),
         coalesce(p.ingest_burst, t.ingest_burst),
         p.events_per_month
  FROM api_keys k JOIN tenants t ON t.id = k.tenant_id LEFT JOIN plans p ON p.id = t.plan_id
  WHERE k.hash = p_hash
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION tripwire_resolve_api_key(text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION tripwire_resolve_api_key(text) TO tripwire_app;--> statement-breakpoint
-- Web processes cache key lookups with their limits: a plan, or a tenant's plan or rate, changing
-- clears every process's cache ('*' is never a key hash).
CREATE FUNCTION tripwire_notify_limits_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('tripwire_api_keys', '*');
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER plans_changed AFTER UPDATE OR DELETE ON plans
  FOR EACH STATEMENT EXECUTE FUNCTION tripwire_notify_limits_change();--> statement-breakpoint
CREATE TRIGGER tenants_limits_changed AFTER UPDATE OF plan_id, ingest_rate_per_second, ingest_burst ON tenants
  FOR EACH STATEMENT EXECUTE FUNCTION tripwire_notify_limits_change();
