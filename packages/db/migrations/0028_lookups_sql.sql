ALTER TABLE "lookup_cache" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
-- The engine's hourly maintenance: answers older than any node may reuse (7 days), across tenants.
CREATE FUNCTION tripwire_prune_lookups(p_before timestamptz) RETURNS bigint
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
AS $$ WITH d AS (DELETE FROM lookup_cache WHERE fetched_at < p_before RETURNING 1) SELECT count(*) FROM d $$;--> statement-breakpoint
REVOKE ALL ON FUNCTION tripwire_prune_lookups(timestamptz) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION tripwire_prune_lookups(timestamptz) TO tripwire_app;
