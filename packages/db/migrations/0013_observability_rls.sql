ALTER TABLE "audit_log" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "ingest_rejections" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
-- The audit trail is append-only for the apps.
REVOKE UPDATE, DELETE ON "audit_log" FROM tripwire_app;--> statement-breakpoint
-- A refused request with an unknown or revoked key can still be shown to its workspace when the
-- key's visible prefix (what the Keys page shows) belongs to exactly one workspace's keys.
CREATE FUNCTION tripwire_tenants_by_key_prefix(p_prefixes text[])
RETURNS TABLE (prefix text, tenant_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  SELECT k.prefix, min(k.tenant_id::text)::uuid
  FROM api_keys k
  WHERE k.prefix = ANY (p_prefixes)
  GROUP BY k.prefix
  HAVING count(DISTINCT k.tenant_id) = 1
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION tripwire_tenants_by_key_prefix(text[]) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION tripwire_tenants_by_key_prefix(text[]) TO tripwire_app;--> statement-breakpoint
-- Refused ingestion attempts are kept one hour, across all tenants in one statement.
CREATE FUNCTION tripwire_prune_ingest_rejections(p_before timestamptz) RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  n bigint;
BEGIN
  DELETE FROM ingest_rejections WHERE last_at < p_before; GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION tripwire_prune_ingest_rejections(timestamptz) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION tripwire_prune_ingest_rejections(timestamptz) TO tripwire_app;
