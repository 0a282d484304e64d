import { fixOf } from "../suggested-fix.ts";
import { quote } from "../naming.ts";
import { indexEntry, type Rule } from "../rule.ts";
import { sqlTypeOf } from "../table-info.ts";

const TEXT = /^(text|varchar(\(\d+\))?|char(\(\d+\))?|character varying(\(\d+\))?|citext)$/;

/**
 * The column types each well-known operator class indexes. An operator class not listed is not
 * checked (an extension's own, say).
 */
export const OPERATOR_CLASS_TYPES: Readonly<Record<string, RegExp>> = {
  uuid_ops: /^uuid$/,
  text_ops: TEXT,
  varchar_ops: TEXT,
  bpchar_ops: /^(char|character)(\(\d+\))?$/,
  text_pattern_ops: TEXT,
  varchar_pattern_ops: TEXT,
  bpchar_pattern_ops: /^(char|character)(\(\d+\))?$/,
  gin_trgm_ops: TEXT,
  gist_trgm_ops: TEXT,
  int4_ops: /^integer$/,
  int8_ops: /^bigint$/,
  int2_ops: /^smallint$/,
  numeric_ops: /^numeric(\(.*\))?$/,
  float8_ops: /^double precision$/,
  float4_ops: /^real$/,
  bool_ops: /^boolean$/,
  date_ops: /^date$/,
  timestamp_ops: /^timestamp(\(\d+\))?( without time zone)?$/,
  timestamptz_ops: /^timestamp(\(\d+\))? with time zone$/,
  jsonb_ops: /^jsonb$/,
  jsonb_path_ops: /^jsonb$/,
  bytea_ops: /^bytea$/,
  inet_ops: /^(inet|cidr)$/,
  array_ops: /\[\]$/,
};

/**
 * Error: an index column's operator class (`.op("uuid_ops")`) fits the column's type. A wrong
 * one fails the migration (42704: operator class does not exist for the type), typically after
 * a column's type was changed and its indexes were not.
 *
 * @example
 * index("ydtb_x_ws_idx").using("btree", t.workspaceId.op("uuid_ops")) // workspace_id is varchar(20): error
 */
export const operatorClass: Rule = {
  name: "operator-class",
  severity: "error",
  description: "An index column's operator class fits the column's type.",
  check(ctx, report) {
    for (const t of ctx.tables) {
      for (const index of t.config.indexes) {
        const name = index.config.name ?? `${t.baseName}_${index.config.columns.map((c) => ("name" in c ? c.name : "")).join("_")}_index`;
        for (const indexed of index.config.columns) {
          if (!("indexConfig" in indexed) || typeof indexed.name !== "string") continue;
          const opClass = indexed.indexConfig?.opClass;
          const fits = opClass ? OPERATOR_CLASS_TYPES[opClass] : undefined;
          const column = t.columns.get(indexed.name);
          if (!opClass || !fits || !column) continue;
          const type = sqlTypeOf(column);
          if (fits.test(type)) continue;
          const suggested = Object.entries(OPERATOR_CLASS_TYPES).find(([, re]) => re.test(type))?.[0];
          report({
            table: t.name,
            column: indexed.name,
            index: name,
            message:
              `The index ${quote(name)} of table ${quote(t.name)} in ${quote(ctx.packageName)} uses operator class ${quote(opClass)} on ${quote(indexed.name)}, which is ${type}: ` +
              `the migration fails (42704). ${suggested ? `Use ${quote(suggested)}, or drop .op(…) to take the type's default.` : "Drop .op(…) to take the type's default."}`,
            fixes: [fixOf([{ kind: "set-op", table: ctx.variableOf({ manifest: ctx.manifest, info: t }), entry: indexEntry(ctx, t, index), column: ctx.keyOf(t, indexed.name), ...(suggested ? { to: suggested } : {}) }])],
          });
        }
      }
    }
  },
};
