ALTER TABLE "tracking_plans" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
-- The app validates the plan; the database still refuses a mode ingestion would not understand.
ALTER TABLE "tracking_plans" ADD CONSTRAINT "tracking_plans_mode_check" CHECK (mode IN ('flag', 'drop', 'reject'));
