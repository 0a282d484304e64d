CREATE TABLE "ydtb_accounts" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"provider_id" text NOT NULL,
	"user_id" text NOT NULL,
	"access_token" text,
	"refresh_token" text,
	"id_token" text,
	"access_token_expires_at" timestamp with time zone,
	"refresh_token_expires_at" timestamp with time zone,
	"scope" text,
	"password" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ydtb_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"token" text NOT NULL,
	"ip_address" text,
	"user_agent" text,
	"user_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ydtb_sessions_token_unique" UNIQUE("token")
);
--> statement-breakpoint
CREATE TABLE "ydtb_tools" (
	"id" varchar(20) PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"icon" text,
	"is_active" boolean DEFAULT true NOT NULL,
	"package_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ydtb_users" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"email_verified" boolean DEFAULT false NOT NULL,
	"image" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ydtb_users_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "ydtb_verifications" (
	"id" text PRIMARY KEY NOT NULL,
	"identifier" text NOT NULL,
	"value" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ydtb_workspace_members" (
	"workspace_id" varchar(20) NOT NULL,
	"user_id" text NOT NULL,
	"role" text DEFAULT 'member' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ydtb_workspace_members_pk" PRIMARY KEY("workspace_id","user_id"),
	CONSTRAINT "ydtb_workspace_members_role" CHECK ("ydtb_workspace_members"."role" in ('owner', 'admin', 'member'))
);
--> statement-breakpoint
CREATE TABLE "ydtb_workspace_tools" (
	"workspace_id" varchar(20) NOT NULL,
	"tool_id" varchar(20) NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"enabled_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ydtb_workspace_tools_pk" PRIMARY KEY("workspace_id","tool_id")
);
--> statement-breakpoint
CREATE TABLE "ydtb_workspaces" (
	"id" varchar(20) PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ydtb_workspaces_slug_unique" UNIQUE("slug"),
	CONSTRAINT "ydtb_workspaces_slug_format" CHECK ("ydtb_workspaces"."slug" ~ '^[a-z0-9][a-z0-9-]*$')
);
--> statement-breakpoint
ALTER TABLE "ydtb_accounts" ADD CONSTRAINT "ydtb_accounts_user_id_ydtb_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."ydtb_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ydtb_sessions" ADD CONSTRAINT "ydtb_sessions_user_id_ydtb_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."ydtb_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ydtb_workspace_members" ADD CONSTRAINT "ydtb_workspace_members_workspace_id_ydtb_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."ydtb_workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ydtb_workspace_members" ADD CONSTRAINT "ydtb_workspace_members_user_id_ydtb_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."ydtb_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ydtb_workspace_tools" ADD CONSTRAINT "ydtb_workspace_tools_workspace_id_ydtb_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."ydtb_workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ydtb_workspace_tools" ADD CONSTRAINT "ydtb_workspace_tools_tool_id_ydtb_tools_id_fk" FOREIGN KEY ("tool_id") REFERENCES "public"."ydtb_tools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ydtb_accounts_user_id_idx" ON "ydtb_accounts" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "ydtb_sessions_user_id_idx" ON "ydtb_sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "ydtb_tools_package_name_idx" ON "ydtb_tools" USING btree ("package_name");--> statement-breakpoint
CREATE INDEX "ydtb_verifications_identifier_idx" ON "ydtb_verifications" USING btree ("identifier");--> statement-breakpoint
CREATE INDEX "ydtb_workspace_members_user_id_idx" ON "ydtb_workspace_members" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "ydtb_workspace_tools_tool_id_idx" ON "ydtb_workspace_tools" USING btree ("tool_id");