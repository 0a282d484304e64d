import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import coreDatabase from "@ydtb/db-core/database";
import { journalOf, migrationText, planPackage, type SyntheticPackage, type SyntheticTable, type WorkspaceSize } from "./synthetic-package.ts";

/** A workspace written to disk as an operator's repository holds it. */
export interface WorkspaceOnDisk {
  readonly root: string;
  /** Migrations folders, core first then the packages in dependency order. */
  readonly folders: readonly string[];
  readonly migrationCount: number;
}

/** The core package's drizzle folder (the real one). */
const coreFolder = () => (coreDatabase.migrations instanceof URL ? fileURLToPath(coreDatabase.migrations) : String(coreDatabase.migrations));

function schemaSource(pkg: SyntheticPackage): string {
  const lines = [
    `import { foreignKey, index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";`,
    `import { workspaceIdColumn, workspaces } from "@ydtb/db-core";`,
  ];
  const dep = pkg.dependencies[0];
  if (dep) lines.push(`import { t0 as dependencyTable } from "../../${dep}/src/schema.ts";`);
  const table = (t: SyntheticTable) => {
    const cols = [
      `workspaceId: workspaceIdColumn().references(() => workspaces.id, { onDelete: "cascade" })`,
      `id: text("id").notNull()`,
      `title: text("title").notNull()`,
      `parentId: text("parent_id")`,
      `createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow()`,
      ...(t.refersTo ? [`refId: text("ref_id")`] : []),
      ...t.extraColumns.map((c) => `${c}: integer("${c}").notNull().default(0)`),
    ];
    const extras = [
      `primaryKey({ name: "${t.name}_pk", columns: [t.workspaceId, t.id] })`,
      ...(t.index > 0
        ? [
            `foreignKey({ name: "${t.name}_parent_fk", columns: [t.workspaceId, t.parentId], foreignColumns: [t${t.index - 1}.workspaceId, t${t.index - 1}.id] }).onDelete("cascade")`,
            `index("${t.name}_parent_idx").on(t.workspaceId, t.parentId)`,
          ]
        : []),
      ...(t.refersTo ? [`foreignKey({ name: "${t.name}_ref_fk", columns: [t.workspaceId, t.refId], foreignColumns: [dependencyTable.workspaceId, dependencyTable.id] }).onDelete("cascade")`] : []),
      ...t.indexed.map((c) => `index("${t.name}_${c}_idx").on(t.workspaceId, t.${c})`),
    ];
    return `\n/** Synthetic table ${t.index}. */\nexport const t${t.index} = pgTable(\n  "${t.name}",\n  {\n${cols.map((c) => `    ${c},`).join("\n")}\n  },\n  (t) => [\n${extras.map((e) => `    ${e},`).join("\n")}\n  ],\n);`;
  };
  return `${lines.join("\n")}\n${pkg.tables.map(table).join("\n")}\n`;
}

function databaseSource(pkg: SyntheticPackage): string {
  const descriptions = pkg.tables.map((t) => {
    const columns = ["workspace_id", "id", "title", "parent_id", "created_at", ...(t.refersTo ? ["ref_id"] : []), ...t.extraColumns];
    return `    ${t.name}: { description: "Synthetic table.", columns: { ${columns.map((c) => `${c}: "Synthetic column."`).join(", ")} } },`;
  });
  const deps = [`"@ydtb/core": "^1.0.0"`, ...pkg.dependencies.map((d) => `"@bench/${d}": "^1.0.0"`)];
  return `import { defineDatabase } from "@ydtb/db-registry";
import pkg from "../package.json" with { type: "json" };
import * as schema from "./schema.ts";

export default defineDatabase({
  packageName: "${pkg.packageName}",
  version: pkg.version,
  schema,
  migrations: "./drizzle",
  dependencies: { ${deps.join(", ")} },
  descriptions: {
${descriptions.join("\n")}
  },
});
`;
}

/**
 * Writes a workspace of real packages to `root` (which must sit inside this repository, e.g.
 * under `.tmp/`, so their imports of drizzle-orm and @ydtb/* resolve): a root package.json with
 * `workspaces`, a core package re-exporting `@ydtb/db-core`'s manifest (with a copy of its
 * drizzle folder for peers that read folders), and P packages each with package.json,
 * src/schema.ts, src/database.ts and a drizzle-kit folder with its journal and its fingerprint
 * (written by `ydtb-db fingerprint`, as `db:generate` does).
 *
 * @example
 * const ws = writeWorkspace(".tmp/bench-50x20", { packages: 50, migrations: 20 });
 */
export function writeWorkspace(root: string, size: WorkspaceSize): WorkspaceOnDisk {
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write("package.json", JSON.stringify({ name: "bench-workspace", private: true, type: "module", workspaces: ["packages/*"] }, null, 2));
  write("packages/core/package.json", JSON.stringify({ name: "@ydtb/db-core", version: "1.0.0", private: true, type: "module" }, null, 2));
  write("packages/core/src/database.ts", `export { default } from "@ydtb/db-core/database";\n`);
  cpSync(coreFolder(), join(root, "packages/core/drizzle"), { recursive: true });
  // Discovery binds core's manifest to this package's folder: its release attribution goes with it.
  cpSync(join(dirname(coreFolder()), "migrations.versions.json"), join(root, "packages/core/migrations.versions.json"));
  const folders = [join(root, "packages/core/drizzle")];
  let migrationCount = 2;
  for (let p = 0; p < size.packages; p++) {
    const pkg = planPackage(p, size);
    const dir = `packages/${pkg.short}`;
    write(`${dir}/package.json`, JSON.stringify({ name: pkg.packageName, version: "1.0.0", private: true, type: "module", dependencies: { "@ydtb/db-core": "workspace:*", "@ydtb/db-registry": "workspace:*", "drizzle-orm": "^0.45.4" } }, null, 2));
    write(`${dir}/src/schema.ts`, schemaSource(pkg));
    write(`${dir}/src/database.ts`, databaseSource(pkg));
    for (const m of pkg.migrations) write(`${dir}/drizzle/${m.tag}.sql`, migrationText(m.statements));
    write(`${dir}/drizzle/meta/_journal.json`, journalOf(pkg));
    folders.push(join(root, dir, "drizzle"));
    migrationCount += pkg.migrations.length;
  }
  // As `db:generate` leaves a real package: each drizzle folder with its fingerprint.
  const cli = Bun.spawnSync([process.execPath, join(import.meta.dir, "../packages/db-init/src/bin.ts"), "fingerprint", "--root", root], { stdout: "ignore", stderr: "pipe" });
  if (cli.exitCode !== 0) throw new Error(`ydtb-db fingerprint failed for the generated workspace ${root}: ${cli.stderr.toString()}`);
  return { root, folders, migrationCount };
}
