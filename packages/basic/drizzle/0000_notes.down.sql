DROP TABLE IF EXISTS "ydtb_basic_note_tags";
--> statement-breakpoint
DROP TABLE IF EXISTS "ydtb_basic_tags";
--> statement-breakpoint
DROP TABLE IF EXISTS "ydtb_basic_notes";
