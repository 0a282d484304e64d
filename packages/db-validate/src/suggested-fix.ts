import type { EntryRef, SchemaEdit, SuggestedFix } from "@ydtb/db-registry";
import { quote } from "./naming.ts";

/** Where a fix's imports of core tables come from: the subpath drizzle-kit can load. */
export const CORE_SCHEMA_MODULE = "@ydtb/db-core/schema";

const PG_CORE_BUILDERS = ["foreignKey", "unique", "uniqueIndex", "index", "primaryKey", "text", "varchar", "timestamp", "integer", "bigint", "uuid"];

/**
 * The imports `code` needs: the drizzle builders it calls and the core tables it names
 * (`workspaces.id`). A fix carries them so that applying it leaves a module that compiles.
 *
 * @example
 * importsFor('foreignKey({ columns: [t.a], foreignColumns: [workspaces.id] })');
 * // [{ kind: "import", from: "drizzle-orm/pg-core", names: ["foreignKey"] }, { kind: "import", from: "@ydtb/db-core/schema", names: ["workspaces"] }]
 */
export function importsFor(code: string): SchemaEdit[] {
  const builders = PG_CORE_BUILDERS.filter((b) => new RegExp(`(^|[^.\\w])${b}\\(`).test(code));
  const edits: SchemaEdit[] = [];
  if (builders.length) edits.push({ kind: "import", from: "drizzle-orm/pg-core", names: builders });
  if (/\bworkspaces\.id\b/.test(code)) edits.push({ kind: "import", from: CORE_SCHEMA_MODULE, names: ["workspaces"] });
  return edits;
}

/** A fix of one option, its imports added. */
export function fixOf(edits: readonly SchemaEdit[], label?: string): SuggestedFix {
  // An edited column's new code is its builder and what is appended (either may be absent).
  const code = edits.map((e) => ("code" in e ? e.code : e.kind === "edit-column" ? `${e.builder ?? ""}${e.append ?? ""}` : "")).join("\n");
  return { ...(label !== undefined ? { label } : {}), edits: [...edits, ...importsFor(code)] };
}

const entryText = (e: EntryRef) => `${e.call}(${e.name !== undefined ? quote(e.name) : ""})${e.on ? `.on(${e.on.map((k) => `t.${k}`).join(", ")})` : ""}`;

/** One edit as the line a person reads. */
function renderEdit(edit: SchemaEdit): string {
  switch (edit.kind) {
    case "rename":
      return `${edit.call}(${quote(edit.from)}, …) → ${edit.call}(${quote(edit.to)}, …)`;
    case "edit-column": {
      const parts: string[] = [];
      if (edit.builder) parts.push(`build it as ${edit.builder}, the rest of its chain kept`);
      else if (edit.name) parts.push(`keep its builder, change only its SQL name to ${quote(edit.name)}`);
      for (const d of edit.drop ?? []) parts.push(`remove .${d}(…)`);
      if (edit.append) parts.push(`add ${edit.append}`);
      return `// ${edit.table}.${edit.column}: ${parts.join("; ")}`;
    }
    case "add-column":
      return `// in the columns of ${edit.table}:\n${edit.column}: ${edit.code},`;
    case "add-entry":
      return `// in the extra config of ${edit.table}, (t) => [ … ]:\n${edit.code},`;
    case "replace-entry":
      return `// in the extra config of ${edit.table}, instead of ${entryText(edit.entry)}:\n${edit.code},`;
    case "first-on":
      return `// in ${entryText(edit.entry)} of ${edit.table}: t.${edit.column} first in its .on(…), the rest as written`;
    case "set-op":
      return `// in ${entryText(edit.entry)} of ${edit.table}: ${edit.to ? `t.${edit.column}.op(${quote(edit.to)})` : `t.${edit.column} (no .op(…): the type's default)`}`;
    case "remove-table":
      return `// delete the definition of ${edit.table}, and use core's:`;
    case "import":
      return `import { ${edit.names.join(", ")} } from ${quote(edit.from)};`;
    case "command":
      return edit.command;
    case "rename-sql":
      return `-- ${edit.file}:${edit.line}: the ${edit.object} ${edit.from} → ${edit.to}, and every other use of ${edit.from} in the package's SQL migrations`;
    case "view-option":
      return `// the view ${edit.view}: .with({ ${edit.option}: ${edit.value} }) before its .as(…)`;
    case "manifest-entry":
      return `// in defineDatabase({ … }):\n${edit.path.reduceRight((inner, key, i) => `${i === 0 ? key : quote(key)}: ${i === edit.path.length - 1 ? inner : `{ ${inner} }`}`, edit.value)}`;
  }
}

/**
 * The `suggestion` text of a diagnostic: its fixes rendered, so what a person reads and what the
 * suite applies are the same data. Several fixes are a choice, numbered.
 *
 * @example
 * renderFixes([{ edits: [{ kind: "rename", call: "pgTable", from: "notes", to: "ydtb_notes_items" }] }]);
 * // 'pgTable("notes", …) → pgTable("ydtb_notes_items", …)'
 */
export function renderFixes(fixes: readonly SuggestedFix[]): string {
  const one = (fix: SuggestedFix) => fix.edits.map(renderEdit).join("\n");
  if (fixes.length === 1 && fixes[0]) return one(fixes[0]);
  return [`// Choose one of ${fixes.length}:`, ...fixes.map((fix, i) => `// (${i + 1}) ${fix.label ?? ""}\n${one(fix)}`)].join("\n");
}
