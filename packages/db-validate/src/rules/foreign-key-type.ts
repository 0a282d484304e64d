import { fixOf } from "../suggested-fix.ts";
import { quote } from "../naming.ts";
import type { Rule } from "../rule.ts";
import { builderOf, describeTable, sqlTypeOf } from "../table-info.ts";

/**
 * Error: every column of a foreign key has the SQL type of the column it references
 * (serial counts as integer, bigserial as bigint). Different types either fail the migration
 * (42804: text → uuid, integer → text) or compare through casts that skip the index.
 *
 * @example
 * noteId: uuid("note_id")  // → ydtb_basic_notes.id text: foreign-key-type error; write text("note_id")
 */
export const foreignKeyType: Rule = {
  name: "foreign-key-type",
  severity: "error",
  description: "A foreign-key column has the SQL type of the column it references.",
  check(ctx, report) {
    for (const t of ctx.tables) {
      for (const fk of t.config.foreignKeys) {
        const ref = fk.reference();
        const target = describeTable(ref.foreignTable);
        ref.columns.forEach((named, i) => {
          // The table's own column objects: a key written in the extra config hands out drizzle's
          // ExtraConfigColumn, whose getSQLType() calls itself for ever.
          const column = t.columns.get(named.name);
          const foreign = target.columns.get(ref.foreignColumns[i]?.name ?? "");
          if (!column || !foreign) return;
          const have = sqlTypeOf(column);
          const want = sqlTypeOf(foreign);
          if (have === want) return;
          const builder = builderOf(foreign);
          const key = ctx.keyOf(t, column.name);
          report({
            table: t.name,
            column: column.name,
            constraint: fk.getName(),
            message:
              `Column ${quote(column.name)} of table ${quote(t.name)} in ${quote(ctx.packageName)} is ${have}, but the column it references, ${quote(`${target.name}.${foreign.name}`)}, is ${want}; ` +
              `declare it as ${want} (the migration fails with 42804 between incompatible types, and casts between compatible ones skip the index).`,
            ...(builder
              ? {
                  fixes: [
                    fixOf([
                      {
                        kind: "edit-column",
                        table: ctx.variableOf({ manifest: ctx.manifest, info: t }),
                        column: key,
                        builder: `${builder}(${quote(column.name)}${/^varchar\((\d+)\)$/.test(want) ? `, { length: ${/\d+/.exec(want)?.[0]} }` : ""})`,
                        // A default of the old type (a uuid's random default) does not fit the new one.
                        ...(column.columnType === "PgUUID" && column.hasDefault ? { drop: ["defaultRandom"] } : {}),
                      },
                    ]),
                  ],
                }
              : { suggestion: `// ${key}: build it with the same enum or customType as ${quote(`${target.name}.${foreign.name}`)}` }),
          });
        });
      }
    }
  },
};
