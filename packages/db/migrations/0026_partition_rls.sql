-- Each day partition of event_history is a table of its own: reached directly, it would answer
-- with no tenant policy and with the app role's default privileges. Every partition now gets the
-- parent's forced row-level security and policy, and the app role keeps no privilege on it (reads
-- and writes go through the parent, whose grants and policy apply).
CREATE OR REPLACE FUNCTION tripwire_history_secure_partition(p_name text) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
  EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', p_name);
  EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', p_name);
  IF NOT EXISTS (SELECT 1 FROM pg_policies WHERE tablename = p_name AND policyname = 'tenant_isolation') THEN
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I AS PERMISSIVE FOR ALL TO public '
      'USING (tenant_id = nullif(current_setting(''app.tenant_id'', true), '''')::uuid) '
      'WITH CHECK (tenant_id = nullif(current_setting(''app.tenant_id'', true), '''')::uuid)', p_name);
  END IF;
  EXECUTE format('REVOKE ALL ON %I FROM tripwire_app', p_name);
END
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION tripwire_history_secure_partition(text) FROM PUBLIC;--> statement-breakpoint
CREATE OR REPLACE FUNCTION tripwire_history_partitions(p_from date, p_days integer) RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  d date; made integer := 0; name text;
BEGIN
  IF p_days < 1 OR p_days > 32 THEN RAISE EXCEPTION 'p_days out of range'; END IF;
  FOR i IN 0 .. p_days - 1 LOOP
    d := p_from + i;
    name := 'event_history_' || to_char(d, 'YYYYMMDD');
    IF to_regclass(name) IS NULL THEN
      -- Two archivers may race to make the same day: the loser's statement is a no-op.
      BEGIN
        EXECUTE format(
          'CREATE TABLE %I PARTITION OF event_history FOR VALUES FROM (%L) TO (%L)',
          name, (d::timestamp AT TIME ZONE 'UTC'), ((d + 1)::timestamp AT TIME ZONE 'UTC'));
        PERFORM tripwire_history_secure_partition(name);
        made := made + 1;
      EXCEPTION WHEN duplicate_table THEN NULL;
      END;
    END IF;
  END LOOP;
  RETURN made;
END
$$;--> statement-breakpoint
-- The partitions made before this migration.
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
           WHERE i.inhparent = 'event_history'::regclass LOOP
    PERFORM tripwire_history_secure_partition(r.relname);
  END LOOP;
END
$$;--> statement-breakpoint
-- The engines' scan for open circuits (all tenants, through tripwire_open_endpoints) is served by a
-- partial index that leads with tenant_id like every index of a tenant table.
DROP INDEX IF EXISTS "endpoint_circuits_open_idx";--> statement-breakpoint
CREATE INDEX "endpoint_circuits_open_idx" ON "endpoint_circuits" ("tenant_id", "endpoint") WHERE state = 'open';
