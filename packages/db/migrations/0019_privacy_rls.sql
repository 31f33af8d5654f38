ALTER TABLE "user_consent" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "user_suppressions" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "user_deletions" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
-- A deletion's record is append-only for the apps: it is the proof that the data went.
REVOKE UPDATE, DELETE ON "user_deletions" FROM tripwire_app;--> statement-breakpoint
-- The one way a user id becomes a suppression key, so ingestion and the engine cannot disagree.
CREATE FUNCTION tripwire_user_hash(p_tenant_id uuid, p_user_id text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT encode(sha256(convert_to(p_tenant_id::text || ':' || p_user_id, 'UTF8')), 'hex') $$;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION tripwire_user_hash(uuid, text) TO tripwire_app;--> statement-breakpoint
-- The engine asks once per Kafka batch (across its tenants) which of the batch's users are suppressed.
CREATE FUNCTION tripwire_suppressed_users(p_tenant_ids uuid[], p_user_ids text[])
RETURNS TABLE (tenant_id uuid, user_id text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  SELECT u.t, u.u
  FROM unnest(p_tenant_ids, p_user_ids) AS u(t, u)
  WHERE EXISTS (
    SELECT 1 FROM user_suppressions s WHERE s.tenant_id = u.t AND s.user_hash = tripwire_user_hash(u.t, u.u)
  )
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION tripwire_suppressed_users(uuid[], text[]) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION tripwire_suppressed_users(uuid[], text[]) TO tripwire_app;
