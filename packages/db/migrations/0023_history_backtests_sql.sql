-- Event history (issue 14): every accepted event, per tenant, for "why didn't this user trigger?"
-- and backtests. Partitioned by day on received_at (the ingestion stamp, identical in every Kafka
-- redelivery of a message) so old days are dropped whole instead of deleted row by row.
-- The primary key is also the by-user index; (tenant, event, time) serves by-name reads and the
-- backtest's scan of the event names a workflow routes. The archiver inserts with ON CONFLICT DO
-- NOTHING on it: a redelivered batch inserts nothing (idempotent on the message id as stamped).
-- No foreign key to tenants: its check locks the tenant row for every inserted event (six
-- partitions' batches contending on the same rows); a trigger deletes a deleted tenant's history
-- instead, and the archiver inserts only for tenants that exist.
-- Not in the drizzle schema: drizzle-kit cannot describe partitioned tables; the store is
-- packages/db/src/event-history.ts.
CREATE TABLE "event_history" (
	"tenant_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"message_id" text NOT NULL,
	"type" text NOT NULL,
	"event" text,
	"timestamp" timestamp with time zone NOT NULL,
	"properties" jsonb,
	CONSTRAINT "event_history_pk" PRIMARY KEY ("tenant_id", "user_id", "received_at", "message_id")
) PARTITION BY RANGE ("received_at");--> statement-breakpoint
CREATE INDEX "event_history_tenant_event_idx" ON "event_history" ("tenant_id", "event", "received_at");--> statement-breakpoint
ALTER TABLE "event_history" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "event_history" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "event_history" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON "event_history" TO tripwire_app;--> statement-breakpoint
CREATE FUNCTION tripwire_history_forget_tenant() RETURNS trigger
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
  DELETE FROM event_history WHERE tenant_id = OLD.id;
  RETURN OLD;
END
$$;--> statement-breakpoint
CREATE TRIGGER tenants_forget_history AFTER DELETE ON tenants FOR EACH ROW EXECUTE FUNCTION tripwire_history_forget_tenant();--> statement-breakpoint
-- Day partitions [p_from, p_from + p_days), named event_history_YYYYMMDD (UTC days). The archiver
-- calls it for each new day it sees; the maintenance a day ahead. Idempotent.
CREATE FUNCTION tripwire_history_partitions(p_from date, p_days integer) RETURNS integer
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
        made := made + 1;
      EXCEPTION WHEN duplicate_table THEN NULL;
      END;
    END IF;
  END LOOP;
  RETURN made;
END
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION tripwire_history_partitions(date, integer) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION tripwire_history_partitions(date, integer) TO tripwire_app;--> statement-breakpoint
-- Drops every day partition that ends at or before p_before (the instance's longest retention):
-- the cheap path, whole tables, no dead rows. Returns the partitions dropped.
CREATE FUNCTION tripwire_history_drop_before(p_before date) RETURNS SETOF text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  part record;
BEGIN
  FOR part IN
    SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'event_history'::regclass AND c.relname ~ '^event_history_[0-9]{8}$'
      AND to_date(substr(c.relname, 15), 'YYYYMMDD') + 1 <= p_before
    ORDER BY c.relname
  LOOP
    EXECUTE format('DROP TABLE %I', part.relname);
    RETURN NEXT part.relname;
  END LOOP;
END
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION tripwire_history_drop_before(date) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION tripwire_history_drop_before(date) TO tripwire_app;--> statement-breakpoint
-- Tenants that keep less than the instance maximum: their rows past their own window, deleted in
-- bounded slices (reads already hide them; this only frees the space before the day is dropped).
CREATE FUNCTION tripwire_history_expire(p_now timestamptz, p_max_days integer, p_limit integer) RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  t record; n bigint := 0; k bigint;
BEGIN
  FOR t IN SELECT id, least(history_retention_days, p_max_days) AS days FROM tenants WHERE history_retention_days < p_max_days LOOP
    DELETE FROM event_history h USING (
      SELECT tenant_id, user_id, received_at, message_id FROM event_history
      WHERE tenant_id = t.id AND received_at < p_now - make_interval(days => t.days)
      LIMIT p_limit
    ) old
    WHERE h.tenant_id = old.tenant_id AND h.user_id = old.user_id AND h.received_at = old.received_at
      AND h.message_id = old.message_id;
    GET DIAGNOSTICS k = ROW_COUNT;
    n := n + k;
  END LOOP;
  RETURN n;
END
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION tripwire_history_expire(timestamptz, integer, integer) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION tripwire_history_expire(timestamptz, integer, integer) TO tripwire_app;
--> statement-breakpoint
ALTER TABLE "workflow_activations" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
-- The timeline is written by the database only: every change of workflows.active_version, whoever
-- made it (publish, rollback, pause), in the same transaction.
REVOKE UPDATE, DELETE ON "workflow_activations" FROM tripwire_app;--> statement-breakpoint
CREATE FUNCTION tripwire_record_activation() RETURNS trigger
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
  IF TG_OP = 'INSERT' AND NEW.active_version IS NULL THEN RETURN NEW; END IF;
  INSERT INTO workflow_activations (tenant_id, workflow_id, version) VALUES (NEW.tenant_id, NEW.id, NEW.active_version);
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER workflows_record_activation AFTER UPDATE OF active_version ON workflows
FOR EACH ROW WHEN (OLD.active_version IS DISTINCT FROM NEW.active_version)
EXECUTE FUNCTION tripwire_record_activation();--> statement-breakpoint
CREATE TRIGGER workflows_record_first_activation AFTER INSERT ON workflows
FOR EACH ROW EXECUTE FUNCTION tripwire_record_activation();--> statement-breakpoint
-- Workflows live before this release: live since their version was published.
INSERT INTO workflow_activations (tenant_id, workflow_id, version, at)
SELECT w.tenant_id, w.id, w.active_version, v.published_at FROM workflows w
JOIN workflow_versions v ON v.tenant_id = w.tenant_id AND v.workflow_id = w.id AND v.version = w.active_version;
--> statement-breakpoint
ALTER TABLE "backtests" FORCE ROW LEVEL SECURITY;
