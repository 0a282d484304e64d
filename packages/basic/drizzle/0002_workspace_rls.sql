-- ydtb:workspace-rls
-- workspace tables: ydtb_basic_note_tags, ydtb_basic_notes, ydtb_basic_tags
-- global tables: (none)
-- Generated from the registry by `ydtb-db-access generate` (run by `bun run db:generate`). Do not edit:
-- change the schema (or the manifest's globalTables) and generate again.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'ydtb_app') THEN
    CREATE ROLE "ydtb_app" NOLOGIN NOSUPERUSER NOBYPASSRLS;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  -- created meanwhile by a migration of another database of this cluster: nothing left to do
  NULL;
END
$$;
--> statement-breakpoint
ALTER TABLE "ydtb_basic_note_tags" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "ydtb_basic_note_tags" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "ydtb_workspace_isolation" ON "ydtb_basic_note_tags" AS PERMISSIVE FOR ALL TO PUBLIC USING ("workspace_id" = NULLIF(current_setting('ydtb.workspace_id', true), '')) WITH CHECK ("workspace_id" = NULLIF(current_setting('ydtb.workspace_id', true), ''));
--> statement-breakpoint
ALTER TABLE "ydtb_basic_notes" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "ydtb_basic_notes" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "ydtb_workspace_isolation" ON "ydtb_basic_notes" AS PERMISSIVE FOR ALL TO PUBLIC USING ("workspace_id" = NULLIF(current_setting('ydtb.workspace_id', true), '')) WITH CHECK ("workspace_id" = NULLIF(current_setting('ydtb.workspace_id', true), ''));
--> statement-breakpoint
ALTER TABLE "ydtb_basic_tags" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "ydtb_basic_tags" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "ydtb_workspace_isolation" ON "ydtb_basic_tags" AS PERMISSIVE FOR ALL TO PUBLIC USING ("workspace_id" = NULLIF(current_setting('ydtb.workspace_id', true), '')) WITH CHECK ("workspace_id" = NULLIF(current_setting('ydtb.workspace_id', true), ''));
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "ydtb_basic_note_tags" TO "ydtb_app";
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "ydtb_basic_notes" TO "ydtb_app";
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "ydtb_basic_tags" TO "ydtb_app";
