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
