-- ydtb:workspace-rls
-- workspace tables: ydtb_workspace_members, ydtb_workspace_tools
-- global tables: ydtb_accounts, ydtb_sessions, ydtb_tools, ydtb_users, ydtb_verifications, ydtb_workspaces
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
ALTER TABLE "ydtb_workspace_members" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "ydtb_workspace_members" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "ydtb_workspace_isolation" ON "ydtb_workspace_members" AS PERMISSIVE FOR ALL TO PUBLIC USING ("workspace_id" = NULLIF(current_setting('ydtb.workspace_id', true), '')) WITH CHECK ("workspace_id" = NULLIF(current_setting('ydtb.workspace_id', true), ''));
--> statement-breakpoint
ALTER TABLE "ydtb_workspace_tools" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "ydtb_workspace_tools" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "ydtb_workspace_isolation" ON "ydtb_workspace_tools" AS PERMISSIVE FOR ALL TO PUBLIC USING ("workspace_id" = NULLIF(current_setting('ydtb.workspace_id', true), '')) WITH CHECK ("workspace_id" = NULLIF(current_setting('ydtb.workspace_id', true), ''));
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "ydtb_workspace_members" TO "ydtb_app";
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "ydtb_workspace_tools" TO "ydtb_app";
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "ydtb_accounts" TO "ydtb_app";
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "ydtb_sessions" TO "ydtb_app";
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "ydtb_tools" TO "ydtb_app";
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "ydtb_users" TO "ydtb_app";
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "ydtb_verifications" TO "ydtb_app";
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "ydtb_workspaces" TO "ydtb_app";
