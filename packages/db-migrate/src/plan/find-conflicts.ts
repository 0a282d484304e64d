import type { Conflict } from "../model/conflict.ts";
import type { LoadedMigration, LoadedPackage } from "../model/loaded-package.ts";
import type { AppliedMigration } from "../model/plan-types.ts";

/** The file of a SQL migration, for conflicts and refusals. */
export function fileOf(m: LoadedMigration): { file?: string } {
  return m.up.kind === "sql" ? { file: m.up.file } : {};
}

/** A package's migrations with duplicate ids after the first removed. */
export function uniqueMigrations(pkg: LoadedPackage): LoadedMigration[] {
  const seen = new Set<string>();
  return pkg.migrations.filter((m) => (seen.has(m.id) ? false : (seen.add(m.id), true)));
}

/**
 * Disagreements between a package's code and its applied migrations that no target may run
 * past (pure): duplicate ids, an applied migration whose file is gone, an applied migration
 * whose checksum changed.
 *
 * @example
 * findConflicts(basic, appliedOfBasic) // [{ kind: "checksum-mismatch", ... }]
 */
export function findConflicts(pkg: LoadedPackage, applied: readonly AppliedMigration[]): Conflict[] {
  const name = pkg.packageName;
  const conflicts: Conflict[] = [];
  const seen = new Map<string, LoadedMigration>();
  for (const m of pkg.migrations) {
    const first = seen.get(m.id);
    if (first) {
      conflicts.push({
        kind: "duplicate-id",
        package: name,
        id: m.id,
        ...fileOf(m),
        message: `"${name}" has two migrations with id "${m.id}" (positions ${first.index + 1} and ${m.index + 1}); rename the newer one (ids are unique per package)`,
      });
    } else seen.set(m.id, m);
  }
  for (const a of [...applied].sort((x, y) => x.order - y.order)) {
    const m = seen.get(a.id);
    if (!m) {
      conflicts.push({
        kind: "missing-file",
        package: name,
        id: a.id,
        message: `"${name}" migration "${a.id}" is applied in the database but no longer in the code; restore it (git checkout its file / put it back in the migrations array). To remove its effect, write a new migration that undoes it.`,
      });
    } else if (m.checksum !== a.checksum) {
      conflicts.push({
        kind: "checksum-mismatch",
        package: name,
        id: a.id,
        ...fileOf(m),
        message: `"${name}" migration "${a.id}"${m.up.kind === "sql" ? ` (${m.up.file})` : ""} changed after it was applied (checksum ${a.checksum.slice(0, 12)}… in the database, ${m.checksum.slice(0, 12)}… now). Revert the edit and write a new migration, or accept it deliberately with \`ydtb-db repair --package ${name}\`.`,
      });
    }
  }
  return conflicts;
}
