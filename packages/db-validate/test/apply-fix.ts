import type { EntryRef, SchemaEdit, SuggestedFix } from "@ydtb/db-registry";
import ts from "typescript";

// Applies a diagnostic's fix (its edits, as data) to a schema module's source, finding each
// target with the TypeScript compiler: nothing here knows what the fixed schema should be.

interface Change {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

const parse = (source: string) => ts.createSourceFile("schema.ts", source, ts.ScriptTarget.Latest, true);

function fail(edit: SchemaEdit, why: string): never {
  throw new Error(`cannot apply ${JSON.stringify(edit)}: ${why}`);
}

/** Every node of `root`, depth first. */
function nodes(root: ts.Node): ts.Node[] {
  const out: ts.Node[] = [];
  const visit = (n: ts.Node) => {
    out.push(n);
    n.forEachChild(visit);
  };
  visit(root);
  return out;
}

/** The name a call is made by: `pgTable(…)` → pgTable, `schema.table(…)` → table. */
function calleeName(call: ts.CallExpression): string | undefined {
  const e = call.expression;
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return undefined;
}

/** The statement `const <name> = …` and the table call it holds. */
function tableCall(file: ts.SourceFile, name: string): { statement: ts.VariableStatement; call: ts.CallExpression } | undefined {
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const d of statement.declarationList.declarations) {
      if (ts.isIdentifier(d.name) && d.name.text === name && d.initializer && ts.isCallExpression(d.initializer)) return { statement, call: d.initializer };
    }
  }
  return undefined;
}

/** A column's initializer, `varchar(…).notNull().references(…)`, as its first call and the calls chained on it. */
function columnChain(file: ts.SourceFile, edit: SchemaEdit & { table: string; column: string }): { expr: ts.Expression; root: ts.CallExpression; chain: ts.CallExpression[] } {
  const columns = tableCall(file, edit.table)?.call.arguments[1];
  if (!columns || !ts.isObjectLiteralExpression(columns)) fail(edit, `no table ${edit.table} with a columns object`);
  const property = columns.properties.find((p) => ts.isPropertyAssignment(p) && p.name.getText() === edit.column);
  if (!property || !ts.isPropertyAssignment(property)) fail(edit, `no column ${edit.column} written in ${edit.table}`);
  const chain: ts.CallExpression[] = [];
  let node: ts.Expression = property.initializer;
  while (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
    chain.unshift(node);
    node = node.expression.expression;
  }
  if (!ts.isCallExpression(node)) fail(edit, `column ${edit.column} does not start with a builder call`);
  return { expr: property.initializer, root: node, chain };
}

/** The array of the table's extra config, `(t) => [ … ]`, when written. */
function extraConfig(file: ts.SourceFile, edit: SchemaEdit & { table: string }): { call: ts.CallExpression; array?: ts.ArrayLiteralExpression } {
  const found = tableCall(file, edit.table);
  if (!found) fail(edit, `no table ${edit.table}`);
  const fn = found.call.arguments[2];
  if (!fn) return { call: found.call };
  if (!ts.isArrowFunction(fn)) fail(edit, "the extra config is not an arrow function");
  if (fn.parameters[0]?.name.getText() !== "t") fail(edit, "the extra config's parameter is not named t");
  let body: ts.Node = fn.body;
  while (ts.isParenthesizedExpression(body)) body = body.expression;
  if (!ts.isArrayLiteralExpression(body)) fail(edit, "the extra config does not return an array literal");
  return { call: found.call, array: body };
}

/** The innermost call of an entry's chain and its `.on(…)` keys. */
function describeEntry(entry: ts.Expression): { call?: string; name?: string; on?: string[] } {
  let node: ts.Expression = entry;
  let on: string[] | undefined;
  while (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
    // The keys of `.on(t.a, t.b)` or `.using("btree", t.a.op("…"))`: each `t.<key>`, whatever is chained on it.
    const method = node.expression.name.text;
    if (method === "on" || method === "using") on = node.arguments.slice(method === "using" ? 1 : 0).map((a) => /^t\.(\w+)/.exec(a.getText())?.[1] ?? a.getText());
    node = node.expression.expression;
  }
  if (!ts.isCallExpression(node)) return {};
  const first = node.arguments[0];
  // foreignKey({ name?, columns: [t.a], … }): its name and columns are properties.
  if (first && ts.isObjectLiteralExpression(first)) {
    const prop = (key: string) => first.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && keyText(p) === key)?.initializer;
    const name = prop("name");
    const columns = prop("columns");
    const keys = columns && ts.isArrayLiteralExpression(columns) ? columns.elements.map((a) => /^t\.(\w+)/.exec(a.getText())?.[1] ?? a.getText()) : undefined;
    return { call: calleeName(node), ...(name && ts.isStringLiteral(name) ? { name: name.text } : {}), ...(keys ? { on: keys } : {}) };
  }
  return { call: calleeName(node), ...(first && ts.isStringLiteral(first) ? { name: first.text } : {}), ...(on ? { on } : {}) };
}

function findEntry(file: ts.SourceFile, edit: SchemaEdit & { table: string; entry: EntryRef }): ts.Expression {
  const { array } = extraConfig(file, edit);
  const matches = (array?.elements ?? []).filter((e) => {
    const d = describeEntry(e);
    if (d.call !== edit.entry.call) return false;
    // Its written name, or, unnamed in the source, the keys of its .on(…) or .using(…).
    if (d.name !== undefined) return d.name === edit.entry.name;
    return edit.entry.on !== undefined && JSON.stringify(d.on) === JSON.stringify(edit.entry.on);
  });
  if (matches.length !== 1 || !matches[0]) fail(edit, `${matches.length} entries match in ${edit.table}`);
  return matches[0];
}

/** The changes one edit makes to `source` (a rename may hit several calls). */
function change(file: ts.SourceFile, edit: SchemaEdit): Change[] {
  const text = file.getFullText();
  switch (edit.kind) {
    case "rename": {
      // The name is the call's first argument, or the `name` of the object it takes (foreignKey, primaryKey).
      const nameOf = (call: ts.CallExpression): ts.StringLiteral | undefined => {
        const first = call.arguments[0];
        if (first && ts.isStringLiteral(first)) return first;
        const named = first && ts.isObjectLiteralExpression(first) ? first.properties.find((p) => keyText(p) === "name") : undefined;
        return named && ts.isPropertyAssignment(named) && ts.isStringLiteral(named.initializer) ? named.initializer : undefined;
      };
      const hits = nodes(file).flatMap((n) => (ts.isCallExpression(n) && calleeName(n) === edit.call && nameOf(n)?.text === edit.from ? [nameOf(n) as ts.StringLiteral] : []));
      if (hits.length === 0) fail(edit, "no such call");
      return hits.map((arg) => ({ start: arg.getStart(), end: arg.end, text: JSON.stringify(edit.to) }));
    }
    case "edit-column": {
      const { expr, root, chain } = columnChain(file, edit);
      let head = edit.builder ?? text.slice(root.getStart(), root.end);
      if (edit.name !== undefined && !edit.builder) {
        const arg = root.arguments[0];
        if (!arg || !ts.isStringLiteral(arg)) fail(edit, "the builder's first argument is not a string");
        head = text.slice(root.getStart(), arg.getStart()) + JSON.stringify(edit.name) + text.slice(arg.end, root.end);
      }
      for (const d of edit.drop ?? []) if (!chain.some((c) => (c.expression as ts.PropertyAccessExpression).name.text === d)) fail(edit, `no .${d}(…) on ${edit.column}`);
      const kept = chain.filter((c) => !(edit.drop ?? []).includes((c.expression as ts.PropertyAccessExpression).name.text));
      const tail = kept.map((c) => text.slice((c.expression as ts.PropertyAccessExpression).expression.end, c.end)).join("");
      return [{ start: expr.getStart(), end: expr.end, text: head + tail + (edit.append ?? "") }];
    }
    case "add-column": {
      const columns = tableCall(file, edit.table)?.call.arguments[1];
      if (!columns || !ts.isObjectLiteralExpression(columns)) fail(edit, "no columns object");
      const last = columns.properties[columns.properties.length - 1];
      return [last ? { start: last.end, end: last.end, text: `, ${edit.column}: ${edit.code}` } : { start: columns.getStart() + 1, end: columns.getStart() + 1, text: ` ${edit.column}: ${edit.code} ` }];
    }
    case "add-entry": {
      const { call, array } = extraConfig(file, edit);
      if (!array) {
        const columns = call.arguments[1];
        if (!columns) fail(edit, "no columns");
        return [{ start: columns.end, end: columns.end, text: `, (t) => [${edit.code}]` }];
      }
      const last = array.elements[array.elements.length - 1];
      return [last ? { start: last.end, end: last.end, text: `, ${edit.code}` } : { start: array.getStart() + 1, end: array.getStart() + 1, text: edit.code }];
    }
    case "replace-entry": {
      const entry = findEntry(file, edit);
      return [{ start: entry.getStart(), end: entry.end, text: edit.code }];
    }
    case "first-on": {
      const entry = findEntry(file, edit);
      const on = nodes(entry).find((n): n is ts.CallExpression => ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === "on");
      const first = on?.arguments[0];
      if (!first) fail(edit, "no .on(…) with columns in the entry");
      return [{ start: first.getStart(), end: first.getStart(), text: `t.${edit.column}, ` }];
    }
    case "set-op": {
      const entry = findEntry(file, edit);
      const op = nodes(entry).find(
        (n): n is ts.CallExpression => ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === "op" && n.expression.expression.getText() === `t.${edit.column}`,
      );
      if (!op) fail(edit, `no t.${edit.column}.op(…) in the entry`);
      return [{ start: op.getStart(), end: op.end, text: `t.${edit.column}${edit.to ? `.op(${JSON.stringify(edit.to)})` : ""}` }];
    }
    case "remove-table": {
      const found = tableCall(file, edit.table);
      if (!found) fail(edit, "no such table");
      return [{ start: found.statement.getFullStart(), end: found.statement.end, text: "" }];
    }
    case "import":
      return addImport(file, edit);
    case "manifest-entry":
      return setManifestEntry(file, edit);
    case "view-option":
      return setViewOption(file, edit);
    case "rename-sql":
    case "command":
      return fail(edit, "not an edit of the schema module (./apply-sql-fix.ts, ./rls-fix.test.ts)");
  }
}

/** `const <view> = pgView(…)[.with({ … })].as(…)`: the option added to `.with`, or `.with({ … })` inserted before `.as`. */
function setViewOption(file: ts.SourceFile, edit: SchemaEdit & { kind: "view-option" }): Change[] {
  const found = tableCall(file, edit.view);
  if (!found) fail(edit, "no such view");
  const calls = nodes(found.call).filter((n): n is ts.CallExpression => ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression));
  const withCall = calls.find((c) => (c.expression as ts.PropertyAccessExpression).name.text === "with");
  const options = withCall?.arguments[0];
  if (options && ts.isObjectLiteralExpression(options)) {
    const existing = options.properties.find((p) => keyText(p) === edit.option);
    if (existing && ts.isPropertyAssignment(existing)) return [{ start: existing.initializer.getStart(), end: existing.initializer.end, text: edit.value }];
    const last = options.properties[options.properties.length - 1];
    return [last ? { start: last.end, end: last.end, text: `, ${edit.option}: ${edit.value}` } : { start: options.getStart() + 1, end: options.getStart() + 1, text: ` ${edit.option}: ${edit.value} ` }];
  }
  const as = calls.find((c) => (c.expression as ts.PropertyAccessExpression).name.text === "as");
  if (!as) fail(edit, "no .as(…) on the view");
  const target = (as.expression as ts.PropertyAccessExpression).expression;
  return [{ start: target.end, end: target.end, text: `.with({ ${edit.option}: ${edit.value} })` }];
}

const keyText = (p: ts.ObjectLiteralElementLike) => (p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined);

/** Sets `path` in the object given to `defineDatabase(…)`, writing the objects that are missing. */
function setManifestEntry(file: ts.SourceFile, edit: SchemaEdit & { kind: "manifest-entry" }): Change[] {
  const call = nodes(file).find((n): n is ts.CallExpression => ts.isCallExpression(n) && calleeName(n) === "defineDatabase");
  const first = call?.arguments[0];
  if (!first || !ts.isObjectLiteralExpression(first)) fail(edit, "no defineDatabase({ … }) in the module");
  let object: ts.ObjectLiteralExpression = first;
  for (let i = 0; i < edit.path.length; i++) {
    const property: ts.ObjectLiteralElementLike | undefined = object.properties.find((p) => keyText(p) === edit.path[i]);
    const last = i === edit.path.length - 1;
    if (!property) {
      const rest = edit.path.slice(i).reduceRight((inner, key, j) => `${JSON.stringify(key)}: ${j === edit.path.length - i - 1 ? inner : `{ ${inner} }`}`, edit.value);
      const after = object.properties[object.properties.length - 1];
      return [after ? { start: after.end, end: after.end, text: `, ${rest}` } : { start: object.getStart() + 1, end: object.getStart() + 1, text: ` ${rest} ` }];
    }
    if (!ts.isPropertyAssignment(property)) fail(edit, `${edit.path[i]} is not written as key: value`);
    if (last) return [{ start: property.initializer.getStart(), end: property.initializer.end, text: edit.value }];
    if (!ts.isObjectLiteralExpression(property.initializer)) fail(edit, `${edit.path[i]} is not an object literal`);
    object = property.initializer;
  }
  return fail(edit, "empty path");
}

/** Adds the names an import edit lists that the module does not bind yet. */
function addImport(file: ts.SourceFile, edit: SchemaEdit & { kind: "import" }): Change[] {
  const bound = new Set<string>();
  let same: ts.NamedImports | undefined;
  for (const s of file.statements) {
    if (!ts.isImportDeclaration(s) || !s.importClause) continue;
    const named = s.importClause.namedBindings;
    if (named && ts.isNamedImports(named)) {
      for (const e of named.elements) bound.add(e.name.text);
      if ((s.moduleSpecifier as ts.StringLiteral).text === edit.from && !s.importClause.isTypeOnly) same = named;
    }
  }
  const local = (n: string) => n.split(/\s+as\s+/).pop() ?? n;
  const missing = edit.names.filter((n) => !bound.has(local(n)));
  if (missing.length === 0) return [];
  const last = same?.elements[same.elements.length - 1];
  if (same && last) return [{ start: last.end, end: last.end, text: `, ${missing.join(", ")}` }];
  return [{ start: 0, end: 0, text: `import { ${missing.join(", ")} } from ${JSON.stringify(edit.from)};\n` }];
}

/**
 * `source` with the edits of `fixes` applied, one after the other (each re-parses the result).
 *
 * @example
 * applyFixes(readFileSync("fixture.ts", "utf8"), diagnostic.fixes?.slice(0, 1) ?? []);
 */
export function applyFixes(source: string, fixes: readonly SuggestedFix[]): string {
  let out = source;
  for (const fix of fixes) {
    for (const edit of fix.edits) {
      const changes = change(parse(out), edit).sort((a, b) => b.start - a.start);
      for (const c of changes) out = out.slice(0, c.start) + c.text + out.slice(c.end);
    }
  }
  return out;
}
