import { and, asc, eq, sql } from "drizzle-orm";
import { withWorkspace } from "@ydtb/db-access";
// The subpath, not the package root: drizzle-kit (Node) imports schemas that reach this module, and the root pulls in Bun-only code.
import { postgresError } from "@ydtb/db-client/postgres-error";
import { ToolConflictError, type DatabaseManifest, type Orm } from "@ydtb/db-registry";
import { tools, workspaceTools } from "./schema/tools.ts";
import { workspaces } from "./schema/workspaces.ts";

/** Base class of the tools API's errors: `code` is stable. */
export class ToolError extends Error {
  constructor(
    readonly code: "UNKNOWN_TOOL" | "INACTIVE_TOOL" | "UNKNOWN_WORKSPACE" | "TOOL_SYNC_FAILED",
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "ToolError";
  }
}

/** A row of the tools catalog. */
export type Tool = typeof tools.$inferSelect;

/** A tool enabled in a workspace. */
export interface WorkspaceTool {
  readonly tool: Tool;
  readonly settings: Record<string, unknown>;
  readonly enabledAt: Date;
}

/** What {@link syncTools} changed. */
export interface ToolSyncResult {
  readonly inserted: number;
  readonly updated: number;
  readonly deactivated: number;
}

/** Options of {@link syncTools}. */
export interface SyncToolsOptions {
  /**
   * `"all"` (default): `manifests` is every registered package, so a tool no manifest declares is
   * deactivated. `"listed"`: only some packages are given (e.g. `ydtb-db migrate --package`), so
   * only tools of those packages can be deactivated; other packages' tools are left alone.
   */
  readonly scope?: "all" | "listed";
}

/**
 * Makes `ydtb_tools` match the registered manifests: new tools inserted, changed ones updated
 * (and reactivated), tools no registered manifest declares marked inactive — never deleted, so
 * workspaces' choices survive a package being removed and added back. One query when nothing changed.
 *
 * Safe when several boots sync at once: changes are made in one transaction that first takes a
 * transaction-scoped advisory lock (per database), then reads the catalog again, so concurrent
 * syncs take turns and the later one finds nothing left to do.
 * Throws the registry's `ToolConflictError` (`TOOL_CONFLICT`) when two packages declare one tool id,
 * and `ToolError` `TOOL_SYNC_FAILED` (with the SQLSTATE in the message and the driver error as
 * `cause`) when the database refuses.
 *
 * @example
 * await syncTools(db.orm, registry.list()); // { inserted: 1, updated: 0, deactivated: 0 }
 */
export async function syncTools(db: Orm, manifests: readonly DatabaseManifest[], options: SyncToolsOptions = {}): Promise<ToolSyncResult> {
  const declared = new Map<string, DeclaredTool>();
  for (const m of manifests) {
    for (const t of m.tools) {
      const other = declared.get(t.id);
      if (other) throw new ToolConflictError(t.id, other.packageName, m.packageName);
      declared.set(t.id, { packageName: m.packageName, name: t.name, description: t.description ?? null, icon: t.icon ?? null });
    }
  }
  const listed = new Set(manifests.map((m) => m.packageName));
  const changesOf = (existing: readonly Tool[]) => toolChanges(existing, declared, (row) => options.scope !== "listed" || listed.has(row.packageName));
  try {
    if (isEmpty(changesOf(await db.select().from(tools)))) return { inserted: 0, updated: 0, deactivated: 0 };
    return await db.transaction(async (tx) => {
      // Serialises concurrent syncs (racing boots): the lock ends with the transaction.
      await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(current_database() || ':ydtb_tools:sync', 0))`);
      const changes = changesOf(await tx.select().from(tools));
      if (changes.inserts.length) {
        await tx
          .insert(tools)
          .values(changes.inserts)
          .onConflictDoUpdate({ target: tools.id, set: { packageName: sql`excluded.package_name`, name: sql`excluded.name`, description: sql`excluded.description`, icon: sql`excluded.icon`, isActive: true, updatedAt: sql`now()` } });
      }
      for (const [id, t] of changes.updates) await tx.update(tools).set({ ...t, isActive: true, updatedAt: sql`now()` }).where(eq(tools.id, id));
      for (const row of changes.deactivations) await tx.update(tools).set({ isActive: false, updatedAt: sql`now()` }).where(eq(tools.id, row.id));
      return { inserted: changes.inserts.length, updated: changes.updates.length, deactivated: changes.deactivations.length };
    });
  } catch (error) {
    const pg = postgresError(error);
    throw new ToolError(
      "TOOL_SYNC_FAILED",
      `Syncing the tools catalog (ydtb_tools) failed${pg ? ` with SQLSTATE ${pg.code}: ${pg.message}` : `: ${(error as Error)?.message ?? String(error)}`}. Check that @ydtb/core's migrations are applied (ydtb-db status).`,
      { cause: error },
    );
  }
}

interface DeclaredTool {
  readonly packageName: string;
  readonly name: string;
  readonly description: string | null;
  readonly icon: string | null;
}

/** What must change in `existing` (pure). */
function toolChanges(existing: readonly Tool[], declared: ReadonlyMap<string, DeclaredTool>, inScope: (row: Tool) => boolean) {
  const byId = new Map(existing.map((t) => [t.id, t]));
  const inserts = [...declared].filter(([id]) => !byId.has(id)).map(([id, t]) => ({ id, ...t, isActive: true }));
  const updates = [...declared].filter(([id, t]) => {
    const row = byId.get(id);
    return row && (!row.isActive || row.packageName !== t.packageName || row.name !== t.name || row.description !== t.description || row.icon !== t.icon);
  });
  const deactivations = existing.filter((row) => row.isActive && !declared.has(row.id) && inScope(row));
  return { inserts, updates, deactivations };
}

function isEmpty(changes: ReturnType<typeof toolChanges>): boolean {
  return changes.inserts.length + changes.updates.length + changes.deactivations.length === 0;
}


/**
 * The tools catalog, active tools first, by name.
 *
 * @example
 * const all = await listTools(db.orm);
 */
export async function listTools(db: Orm, options: { readonly activeOnly?: boolean } = {}): Promise<Tool[]> {
  const query = db.select().from(tools);
  return (options.activeOnly ? query.where(eq(tools.isActive, true)) : query).orderBy(sql`${tools.isActive} desc`, asc(tools.name), asc(tools.id));
}

/**
 * The tools a workspace has enabled, by name. Runs in `withWorkspace` (the runtime role; the
 * row-level-security policy shows only this workspace's rows).
 *
 * @example
 * const enabled = await listWorkspaceTools(db.orm, "ws_1");
 */
export async function listWorkspaceTools(db: Orm, workspaceId: string): Promise<WorkspaceTool[]> {
  return withWorkspace(db, workspaceId, (tx) =>
    tx
      .select({ tool: tools, settings: workspaceTools.settings, enabledAt: workspaceTools.enabledAt })
      .from(workspaceTools)
      .innerJoin(tools, eq(tools.id, workspaceTools.toolId))
      .where(eq(workspaceTools.workspaceId, workspaceId))
      .orderBy(asc(tools.name), asc(tools.id)),
  );
}

async function requireWorkspace(db: Orm, workspaceId: string): Promise<void> {
  const [row] = await db.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.id, workspaceId));
  if (!row) throw new ToolError("UNKNOWN_WORKSPACE", `No workspace "${workspaceId}"; create it in ydtb_workspaces first.`);
}

/**
 * Enables a tool in a workspace, in `withWorkspace`. Enabling twice is a no-op (returns false the second time).
 * Throws `ToolError` for an unknown workspace, an unknown tool or an inactive tool.
 *
 * @example
 * await enableTool(db.orm, "ws_1", "notes"); // true
 */
export async function enableTool(db: Orm, workspaceId: string, toolId: string, settings: Record<string, unknown> = {}): Promise<boolean> {
  return withWorkspace(db, workspaceId, async (tx) => {
    await requireWorkspace(tx, workspaceId);
    const [tool] = await tx.select().from(tools).where(eq(tools.id, toolId));
    if (!tool) throw new ToolError("UNKNOWN_TOOL", `No tool "${toolId}" in the catalog; tools come from package manifests (tools: [{ id: "${toolId}", name: ... }]).`);
    if (!tool.isActive) throw new ToolError("INACTIVE_TOOL", `Tool "${toolId}" is inactive: its package "${tool.packageName}" is no longer registered. Register the package again to enable it.`);
    const inserted = await tx.insert(workspaceTools).values({ workspaceId, toolId, settings }).onConflictDoNothing().returning({ toolId: workspaceTools.toolId });
    return inserted.length > 0;
  });
}

/**
 * Disables a tool in a workspace, in `withWorkspace`; returns false when it was not enabled.
 * Throws `ToolError` for an unknown workspace.
 *
 * @example
 * await disableTool(db.orm, "ws_1", "notes"); // true
 */
export async function disableTool(db: Orm, workspaceId: string, toolId: string): Promise<boolean> {
  return withWorkspace(db, workspaceId, async (tx) => {
    await requireWorkspace(tx, workspaceId);
    const deleted = await tx
      .delete(workspaceTools)
      .where(and(eq(workspaceTools.workspaceId, workspaceId), eq(workspaceTools.toolId, toolId)))
      .returning({ toolId: workspaceTools.toolId });
    return deleted.length > 0;
  });
}
