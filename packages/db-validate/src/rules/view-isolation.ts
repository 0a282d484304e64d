import { scopedViews, tablesNamedIn, type ScopedView } from "@ydtb/db-access";
import { WORKSPACE_ID_COLUMN } from "../constants.ts";
import { quote } from "../naming.ts";
import { manifestTables, type Report, type Rule, type RuleContext } from "../rule.ts";
import { fixOf } from "../suggested-fix.ts";

/**
 * Error: a view reading a workspace table has `security_invoker`, and a materialized view over
 * one is declared global. A plain view runs with its owner's rights: whoever may select it reads
 * every workspace's rows, past row-level security. A materialized view stores every workspace's
 * rows and no policy applies to it. Which tables a view reads is decided by text, conservatively:
 * a workspace table's name anywhere in the view's SQL counts (`.existing()` views have no SQL
 * here and are skipped).
 *
 * @example
 * pgView("ydtb_notes_open").as((qb) => qb.select().from(notes)); // view-isolation error
 * pgView("ydtb_notes_open").with({ securityInvoker: true }).as((qb) => qb.select().from(notes)); // fine
 */
export const viewIsolation: Rule = {
  name: "view-isolation",
  severity: "error",
  description: "A view over workspace tables has security_invoker; a materialized view over them is declared global (it stores every workspace's rows).",
  check(ctx, report) {
    const views = scopedViews(ctx.manifest).filter((v) => v.sql !== undefined);
    if (views.length === 0) return;
    const tables = workspaceTables(ctx);
    for (const v of views) {
      const read = tablesNamedIn(v.sql ?? "", tables);
      if (read.length === 0) continue;
      if (!v.materialized && !v.securityInvoker) reportPlainView(ctx, report, v, read);
      if (v.materialized && !v.declaredGlobal) reportMaterialized(ctx, report, v, read);
    }
  },
};

/** Every workspace-scoped table of the packages validated together, by SQL name. */
function workspaceTables(ctx: RuleContext): string[] {
  const names = new Set<string>();
  for (const manifest of [ctx.manifest, ...ctx.manifests]) {
    for (const info of manifestTables(manifest)) {
      if (info.columns.has(WORKSPACE_ID_COLUMN) && ctx.isWorkspaceScoped({ manifest, info })) names.add(info.name);
    }
  }
  return [...names];
}

const variableOf = (ctx: RuleContext, v: ScopedView) => Object.entries(ctx.manifest.schema).find(([, value]) => value === v.view)?.[0] ?? v.name;

function reportPlainView(ctx: RuleContext, report: Report, v: ScopedView, read: readonly string[]): void {
  report({
    table: v.name,
    message:
      `View ${quote(v.name)} of ${quote(ctx.packageName)} reads the workspace table${read.length > 1 ? "s" : ""} ${read.map(quote).join(", ")} without security_invoker: ` +
      `a view runs with its owner's rights, so whoever may select it would read every workspace's rows, bypassing row-level security (and the runtime role is never granted it). ` +
      `Add .with({ securityInvoker: true }) before its .as(…) (PostgreSQL 15+): the policies of the tables then apply to the caller, and the policy migration grants the view to the runtime role (run \`bun run db:generate\`).`,
    fixes: [fixOf([{ kind: "view-option", view: variableOf(ctx, v), option: "securityInvoker", value: "true" }])],
  });
}

function reportMaterialized(ctx: RuleContext, report: Report, v: ScopedView, read: readonly string[]): void {
  report({
    table: v.name,
    message:
      `Materialized view ${quote(v.name)} of ${quote(ctx.packageName)} reads the workspace table${read.length > 1 ? "s" : ""} ${read.map(quote).join(", ")}: ` +
      `it stores every workspace's rows and no row-level-security policy applies to a materialized view, so it is never granted to the runtime role. ` +
      `Scope it instead (a security_invoker view, or a function taking the workspace id, per workspace), or, knowingly, declare it global with a reason in the manifest's globalTables (it is then granted to every workspace).`,
    fixes: [fixOf([{ kind: "manifest-entry", path: ["globalTables", v.name], value: '"…why every workspace may read every row"' }])],
  });
}
