ALTER TABLE "profiles" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "signing_secrets" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
-- The two lookups that must start without knowing the tenant. SECURITY DEFINER runs them as the
-- owner (which must bypass RLS: superuser or BYPASSRLS); each returns only what its caller needs.
-- A request carries only its API key: find the key's tenant and scope by the key's hash.
CREATE FUNCTION tripwire_resolve_api_key(p_hash text)
RETURNS TABLE (tenant_id uuid, key_id uuid, scope api_key_scope, revoked boolean,
               ingest_rate_per_second integer, ingest_burst integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  SELECT k.tenant_id, k.id, k.scope, k.revoked_at IS NOT NULL, t.ingest_rate_per_second, t.ingest_burst
  FROM api_keys k JOIN tenants t ON t.id = k.tenant_id
  WHERE k.hash = p_hash
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION tripwire_resolve_api_key(text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION tripwire_resolve_api_key(text) TO tripwire_app;--> statement-breakpoint
-- Engines load every tenant's published plans at start (and on each NOTIFY, one workflow at a time).
CREATE FUNCTION tripwire_active_workflow_versions(p_tenant_id uuid DEFAULT NULL, p_workflow_id uuid DEFAULT NULL)
RETURNS TABLE (tenant_id uuid, workflow_id uuid, version integer, plan jsonb, compiler_version text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  SELECT v.tenant_id, v.workflow_id, v.version, v.plan, v.compiler_version
  FROM workflows w
  JOIN workflow_versions v ON v.tenant_id = w.tenant_id AND v.workflow_id = w.id AND v.version = w.active_version
  WHERE (p_tenant_id IS NULL OR w.tenant_id = p_tenant_id)
    AND (p_workflow_id IS NULL OR w.id = p_workflow_id)
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION tripwire_active_workflow_versions(uuid, uuid) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION tripwire_active_workflow_versions(uuid, uuid) TO tripwire_app;--> statement-breakpoint
-- Revoking a key tells every web process at once (they cache key lookups for a few seconds).
CREATE FUNCTION tripwire_notify_api_key_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('tripwire_api_keys', OLD.hash);
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER api_keys_changed AFTER UPDATE OR DELETE ON api_keys
  FOR EACH ROW EXECUTE FUNCTION tripwire_notify_api_key_change();--> statement-breakpoint
-- Publishing, unpublishing and rollback change workflows.active_version; engines LISTEN and reload.
CREATE FUNCTION tripwire_notify_workflow_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  r workflows;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
  PERFORM pg_notify('tripwire_workflows', json_build_object(
    'tenantId', r.tenant_id, 'workflowId', r.id,
    'activeVersion', CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE r.active_version END)::text);
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER workflows_active_version_changed AFTER UPDATE OF active_version ON workflows
  FOR EACH ROW WHEN (OLD.active_version IS DISTINCT FROM NEW.active_version)
  EXECUTE FUNCTION tripwire_notify_workflow_change();--> statement-breakpoint
CREATE TRIGGER workflows_deleted AFTER DELETE ON workflows
  FOR EACH ROW WHEN (OLD.active_version IS NOT NULL)
  EXECUTE FUNCTION tripwire_notify_workflow_change();
