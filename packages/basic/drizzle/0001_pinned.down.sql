DROP INDEX IF EXISTS "ydtb_basic_notes_workspace_pinned_idx";
--> statement-breakpoint
ALTER TABLE "ydtb_basic_notes" DROP COLUMN IF EXISTS "pinned";
