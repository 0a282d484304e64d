DROP TABLE IF EXISTS "ydtb_workspace_tools";
--> statement-breakpoint
DROP TABLE IF EXISTS "ydtb_workspace_members";
--> statement-breakpoint
DROP TABLE IF EXISTS "ydtb_tools";
--> statement-breakpoint
DROP TABLE IF EXISTS "ydtb_workspaces";
--> statement-breakpoint
DROP TABLE IF EXISTS "ydtb_verifications";
--> statement-breakpoint
DROP TABLE IF EXISTS "ydtb_accounts";
--> statement-breakpoint
DROP TABLE IF EXISTS "ydtb_sessions";
--> statement-breakpoint
DROP TABLE IF EXISTS "ydtb_users";
