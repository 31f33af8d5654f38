ALTER TABLE "action_deliveries" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "path_counts" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
-- Retention across all tenants, with the runs (deliveries) and a little over the longest window the
-- canvas shows (counters); the engine's hourly maintenance calls it.
CREATE FUNCTION tripwire_prune_history(p_deliveries_before timestamptz, p_counts_before timestamptz)
RETURNS TABLE (action_deliveries bigint, path_counts bigint)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  d bigint; c bigint;
BEGIN
  DELETE FROM action_deliveries WHERE at < p_deliveries_before; GET DIAGNOSTICS d = ROW_COUNT;
  DELETE FROM path_counts WHERE bucket < p_counts_before; GET DIAGNOSTICS c = ROW_COUNT;
  RETURN QUERY SELECT d, c;
END
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION tripwire_prune_history(timestamptz, timestamptz) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION tripwire_prune_history(timestamptz, timestamptz) TO tripwire_app;
