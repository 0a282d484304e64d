import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { loadSqlParser, readJournal, type SqlParser } from "@ydtb/db-migrate";
import { ManifestError, migrationsFolder, type DatabaseManifest } from "@ydtb/db-registry";

/**
 * A function, procedure, aggregate or role a package's SQL migrations create: objects the
 * schema module does not show, in namespaces every package shares (functions per schema,
 * roles per cluster).
 *
 * @example
 * { kind: "function", schema: "public", name: "touch_updated_at", file: "drizzle/0003_touch.sql", line: 4 }
 */
export interface SqlObject {
  readonly kind: "function" | "procedure" | "aggregate" | "role";
  /** "public" when unqualified; "" for a role. */
  readonly schema: string;
  readonly name: string;
  /** The migration file, relative to the package folder when it is known. */
  readonly file: string;
  /** 1-based line of the statement's first token. */
  readonly line: number;
  /** CREATE OR REPLACE: a second package's would silently replace the first's. */
  readonly replace: boolean;
}

type Node = Readonly<Record<string, unknown>>;

let parser: SqlParser | undefined;
const prepared = new WeakMap<DatabaseManifest, readonly SqlObject[]>();

/**
 * Reads the SQL migrations of `manifests` with PostgreSQL's parser (libpg-query, loaded once)
 * for the `sql-objects` rule, which reports on the manifests prepared here and only on them:
 * `ydtb-db validate` prepares every package first. TypeScript migrations are not read.
 *
 * @example
 * await prepareSqlObjects(manifests);
 * validateManifests(manifests); // sql-objects reports functions and roles of their SQL
 */
export async function prepareSqlObjects(manifests: readonly DatabaseManifest[]): Promise<void> {
  parser ??= await loadSqlParser();
  for (const manifest of manifests) if (!prepared.has(manifest)) prepared.set(manifest, readSqlObjects(parser, manifest));
}

/** What {@link prepareSqlObjects} read of a manifest, or `undefined` when it was not prepared. */
export function preparedSqlObjects(manifest: DatabaseManifest): readonly SqlObject[] | undefined {
  return prepared.get(manifest);
}

function readSqlObjects(sql: SqlParser, manifest: DatabaseManifest): SqlObject[] {
  let folder: string | undefined;
  try {
    folder = migrationsFolder(manifest);
  } catch (error) {
    // A relative folder of a manifest not bound to its package: nothing to read until discovery binds it.
    if (error instanceof ManifestError) return [];
    throw error;
  }
  if (!folder) return [];
  const out: SqlObject[] = [];
  for (const entry of readJournal(manifest.packageName, folder)) {
    const path = join(folder, `${entry.tag}.sql`);
    const file = manifest.packageDir ? relative(manifest.packageDir, path) : path;
    out.push(...objectsOfSql(sql, readFileSync(path, "utf8"), file));
  }
  return out;
}

const names = (list: unknown): string[] => ((list as Node[] | undefined) ?? []).map((n) => ((n.String as { sval?: string } | undefined)?.sval ?? ""));

/**
 * The functions, procedures, aggregates and roles one SQL text creates. A file the parser
 * refuses yields nothing here: loading the migration reports its syntax error.
 *
 * @example
 * objectsOfSql(parser, "CREATE ROLE app_reader;", "drizzle/0001_roles.sql"); // [{ kind: "role", name: "app_reader", line: 1, … }]
 */
export function objectsOfSql(sql: SqlParser, text: string, file: string): SqlObject[] {
  let stmts: readonly { stmt?: Node; stmt_location?: number }[];
  try {
    stmts = (sql.parseSync(text) as { stmts?: { stmt?: Node; stmt_location?: number }[] }).stmts ?? [];
  } catch (error) {
    // PostgreSQL's syntax error (it carries sqlDetails): the migration loader refuses the file
    // with its position, so nothing is read here. Anything else is a fault of ours.
    if ((error as { sqlDetails?: unknown } | null)?.sqlDetails) return [];
    throw error;
  }
  const bytes = Buffer.from(text, "utf8");
  const out: SqlObject[] = [];
  for (const { stmt, stmt_location: at = 0 } of stmts) {
    if (!stmt) continue;
    const line = lineOf(bytes, at);
    const fn = stmt.CreateFunctionStmt as { funcname?: unknown; is_procedure?: boolean; replace?: boolean } | undefined;
    const role = stmt.CreateRoleStmt as { role?: string } | undefined;
    const define = stmt.DefineStmt as { kind?: string; defnames?: unknown; replace?: boolean } | undefined;
    const qualified = fn ? names(fn.funcname) : define?.kind === "OBJECT_AGGREGATE" ? names(define.defnames) : undefined;
    if (qualified) {
      const name = qualified[qualified.length - 1] ?? "";
      const schema = qualified.length > 1 ? (qualified[qualified.length - 2] ?? "public") : "public";
      out.push({ kind: fn ? (fn.is_procedure ? "procedure" : "function") : "aggregate", schema, name, file, line, replace: !!(fn?.replace ?? define?.replace) });
    } else if (role?.role) out.push({ kind: "role", schema: "", name: role.role, file, line, replace: false });
  }
  return out;
}

/** The line of the first token at or after byte `at` (blank lines and `--` comments before a statement skipped). */
function lineOf(bytes: Buffer, at: number): number {
  const before = bytes.subarray(0, at).toString("utf8");
  const rest = bytes.subarray(at).toString("utf8");
  const lead = /^(\s|--[^\n]*\n)*/.exec(rest)?.[0] ?? "";
  return (before + lead).split("\n").length;
}
