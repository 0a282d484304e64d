import { CORE_PACKAGE, defineDatabase } from "@ydtb/db-registry";
import pkg from "../package.json" with { type: "json" };
import * as schema from "./schema/index.ts";

const timestamps = {
  created_at: "When the row was created.",
  updated_at: "When the row was last changed.",
};

/**
 * The root package `@ydtb/core`: auth, workspaces and the tools catalog. Every other
 * package depends on it (the dependency is implied when a manifest leaves it out).
 */
export default defineDatabase({
  packageName: CORE_PACKAGE,
  version: pkg.version,
  schema,
  migrations: new URL("../drizzle", import.meta.url),
  dependencies: {},
  // Not workspace-scoped: the isolation rules skip them and row-level security leaves them alone.
  globalTables: {
    ydtb_users: "Better Auth users: a person signs in once and may belong to many workspaces.",
    ydtb_sessions: "Better Auth sessions belong to a user, not to a workspace.",
    ydtb_accounts: "Better Auth login methods belong to a user, not to a workspace.",
    ydtb_verifications: "Better Auth one-time values, looked up before any workspace is known.",
    ydtb_workspaces: "The workspaces themselves: the root every workspace_id references.",
    ydtb_tools: "The tools catalog, synced from every package's manifest and shared by all workspaces.",
  },
  descriptions: {
    ydtb_users: {
      description: "People who can sign in (Better Auth user). Global, not workspace-scoped.",
      columns: {
        id: "Better Auth user id (32 characters by default).",
        name: "Display name.",
        email: "Sign-in e-mail address, unique across the platform.",
        email_verified: "Whether the e-mail address was confirmed.",
        image: "Avatar URL.",
        ...timestamps,
      },
    },
    ydtb_sessions: {
      description: "Signed-in sessions (Better Auth session).",
      columns: {
        id: "Session id.",
        expires_at: "When the session stops being valid.",
        token: "Opaque session token sent by the browser; unique.",
        ip_address: "Client IP address at sign-in.",
        user_agent: "Client user agent at sign-in.",
        user_id: "The signed-in user.",
        ...timestamps,
      },
    },
    ydtb_accounts: {
      description: "Login methods of a user: an OAuth provider account or a password (Better Auth account).",
      columns: {
        id: "Account row id.",
        account_id: "The user's id at the provider.",
        provider_id: "Provider name, e.g. github or credential.",
        user_id: "The user this login belongs to.",
        access_token: "OAuth access token.",
        refresh_token: "OAuth refresh token.",
        id_token: "OpenID Connect id token.",
        access_token_expires_at: "When the access token expires.",
        refresh_token_expires_at: "When the refresh token expires.",
        scope: "Granted OAuth scopes.",
        password: "Password hash, for the credential provider.",
        ...timestamps,
      },
    },
    ydtb_verifications: {
      description: "One-time values such as e-mail verification and password reset tokens (Better Auth verification).",
      columns: {
        id: "Verification id.",
        identifier: "What is being verified, e.g. an e-mail address.",
        value: "The secret value to compare.",
        expires_at: "When the value stops being valid.",
        ...timestamps,
      },
    },
    ydtb_workspaces: {
      description: "Workspaces: the unit of isolation. Every package row belongs to exactly one.",
      columns: {
        id: "Workspace id, varchar(20); every package's workspace_id references it.",
        name: "Display name.",
        slug: "URL name, lower-case letters, digits and dashes; unique.",
        metadata: "Free-form settings (phase 1 kept enabled tool ids here under \"tools\").",
        ...timestamps,
      },
    },
    ydtb_workspace_members: {
      description: "Membership of users in workspaces, with a role.",
      columns: {
        workspace_id: "The workspace.",
        user_id: "The member.",
        role: "owner, admin or member.",
        created_at: "When the user joined.",
      },
    },
    ydtb_tools: {
      description: "Catalog of workspace tools, synced from package manifests at boot. Global.",
      columns: {
        id: "Tool id as declared in the manifest, unique across packages.",
        name: "Display name.",
        description: "What the tool does.",
        icon: "Icon name or URL.",
        is_active: "False once the package that provides it is no longer registered.",
        package_name: "The package that provides the tool.",
        ...timestamps,
      },
    },
    ydtb_workspace_tools: {
      description: "Tools enabled per workspace.",
      columns: {
        workspace_id: "The workspace.",
        tool_id: "The enabled tool.",
        settings: "Per-workspace settings of the tool.",
        enabled_at: "When the tool was enabled.",
      },
    },
  },
});
