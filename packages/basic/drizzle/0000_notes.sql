CREATE TABLE "ydtb_basic_note_tags" (
	"workspace_id" varchar(20) NOT NULL,
	"note_id" text NOT NULL,
	"tag_id" text NOT NULL,
	CONSTRAINT "ydtb_basic_note_tags_pk" PRIMARY KEY("workspace_id","note_id","tag_id")
);
--> statement-breakpoint
CREATE TABLE "ydtb_basic_notes" (
	"workspace_id" varchar(20) NOT NULL,
	"id" text NOT NULL,
	"title" text NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ydtb_basic_notes_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "ydtb_basic_tags" (
	"workspace_id" varchar(20) NOT NULL,
	"id" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ydtb_basic_tags_pk" PRIMARY KEY("workspace_id","id"),
	CONSTRAINT "ydtb_basic_tags_workspace_name_unique" UNIQUE("workspace_id","name")
);
--> statement-breakpoint
ALTER TABLE "ydtb_basic_note_tags" ADD CONSTRAINT "ydtb_basic_note_tags_workspace_id_ydtb_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."ydtb_workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ydtb_basic_note_tags" ADD CONSTRAINT "ydtb_basic_note_tags_note_fk" FOREIGN KEY ("workspace_id","note_id") REFERENCES "public"."ydtb_basic_notes"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ydtb_basic_note_tags" ADD CONSTRAINT "ydtb_basic_note_tags_tag_fk" FOREIGN KEY ("workspace_id","tag_id") REFERENCES "public"."ydtb_basic_tags"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ydtb_basic_notes" ADD CONSTRAINT "ydtb_basic_notes_workspace_id_ydtb_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."ydtb_workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ydtb_basic_tags" ADD CONSTRAINT "ydtb_basic_tags_workspace_id_ydtb_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."ydtb_workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ydtb_basic_note_tags_workspace_tag_idx" ON "ydtb_basic_note_tags" USING btree ("workspace_id","tag_id");--> statement-breakpoint
CREATE INDEX "ydtb_basic_notes_workspace_created_idx" ON "ydtb_basic_notes" USING btree ("workspace_id","created_at");