-- Engines route an event to pending waiters by name. A run waiting on a version that is no longer
-- active (republished, rolled back, unpublished) must still receive its event, so engines also
-- load the names that pending waiters await, for every tenant or one.
CREATE FUNCTION tripwire_awaited_events(p_tenant_id uuid DEFAULT NULL)
RETURNS TABLE (tenant_id uuid, event_name text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  SELECT DISTINCT w.tenant_id, w.event_name
  FROM waiters w
  WHERE p_tenant_id IS NULL OR w.tenant_id = p_tenant_id
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION tripwire_awaited_events(uuid) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION tripwire_awaited_events(uuid) TO tripwire_app;
