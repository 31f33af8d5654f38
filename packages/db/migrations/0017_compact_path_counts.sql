-- The canvas counters are written per 5 minutes and per engine shard; once an hour has passed they
-- are only ever read as sums, so they are folded into one row per hour (shard 0). A week then reads
-- ~170 rows per node output instead of ~2,000 x the shards. Across all tenants in one statement
-- (the engine's hourly maintenance); the hot, current buckets are never touched.
CREATE FUNCTION tripwire_compact_path_counts(p_before timestamptz) RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  n bigint;
BEGIN
  WITH old AS (
    DELETE FROM path_counts
    WHERE bucket < date_trunc('hour', p_before) AND (shard <> 0 OR bucket <> date_trunc('hour', bucket))
    RETURNING tenant_id, workflow_id, version, bucket, node_id, output, count
  ), folded AS (
    INSERT INTO path_counts (tenant_id, workflow_id, version, bucket, node_id, output, shard, count)
    SELECT tenant_id, workflow_id, version, date_trunc('hour', bucket), node_id, output, 0, sum(count)
    FROM old GROUP BY tenant_id, workflow_id, version, date_trunc('hour', bucket), node_id, output
    ON CONFLICT (tenant_id, workflow_id, version, bucket, node_id, output, shard)
    DO UPDATE SET count = path_counts.count + excluded.count
    RETURNING 1
  )
  SELECT count(*) INTO n FROM old;
  RETURN n;
END
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION tripwire_compact_path_counts(timestamptz) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION tripwire_compact_path_counts(timestamptz) TO tripwire_app;
