ALTER TABLE "invitations" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
-- The tenants a user belongs to, for the tenant switcher (memberships are tenant-scoped by RLS).
CREATE FUNCTION tripwire_user_tenants(p_user_id uuid)
RETURNS TABLE (tenant_id uuid, name text, role member_role)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  SELECT t.id, t.name, m.role FROM memberships m JOIN tenants t ON t.id = m.tenant_id
  WHERE m.user_id = p_user_id ORDER BY t.name, t.id
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION tripwire_user_tenants(uuid) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION tripwire_user_tenants(uuid) TO tripwire_app;--> statement-breakpoint
-- An invitation link carries only its token: find the invitation (and its tenant) by the hash.
CREATE FUNCTION tripwire_find_invitation(p_token_hash text)
RETURNS TABLE (tenant_id uuid, tenant_name text, id uuid, role member_role, expires_at timestamptz,
               accepted_at timestamptz, revoked_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  SELECT i.tenant_id, t.name, i.id, i.role, i.expires_at, i.accepted_at, i.revoked_at
  FROM invitations i JOIN tenants t ON t.id = i.tenant_id WHERE i.token_hash = p_token_hash
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION tripwire_find_invitation(text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION tripwire_find_invitation(text) TO tripwire_app;
