/**
 * Lists realistic one-edit mutants of TypeScript source files, found on the syntax tree
 * (so generics, arrows and comments are never mistaken for operators).
 *
 * usage: bun tooling/mutate/generate.ts <file.ts> … > mutants.json
 * Each mutant: { file, line, op, start, end, replacement, original }.
 */
import { readFileSync } from "node:fs";
import ts from "typescript";

export interface Mutant {
  readonly file: string;
  readonly line: number;
  readonly op: string;
  readonly start: number;
  readonly end: number;
  readonly replacement: string;
  readonly original: string;
}

const BINARY: Readonly<Record<number, readonly [string, string]>> = {
  [ts.SyntaxKind.EqualsEqualsEqualsToken]: ["!==", "flip-equality"],
  [ts.SyntaxKind.ExclamationEqualsEqualsToken]: ["===", "flip-equality"],
  [ts.SyntaxKind.LessThanToken]: ["<=", "boundary"],
  [ts.SyntaxKind.LessThanEqualsToken]: ["<", "boundary"],
  [ts.SyntaxKind.GreaterThanToken]: [">=", "boundary"],
  [ts.SyntaxKind.GreaterThanEqualsToken]: [">", "boundary"],
  [ts.SyntaxKind.AmpersandAmpersandToken]: ["||", "swap-logic"],
  [ts.SyntaxKind.BarBarToken]: ["&&", "swap-logic"],
  [ts.SyntaxKind.PlusToken]: ["-", "arithmetic"],
  [ts.SyntaxKind.MinusToken]: ["+", "arithmetic"],
};

const METHOD_SWAPS: Readonly<Record<string, string>> = {
  some: "every",
  every: "some",
  startsWith: "endsWith",
  endsWith: "startsWith",
  find: "findLast",
  push: "unshift",
  max: "min",
  min: "max",
};

export function mutantsOf(file: string): Mutant[] {
  const text = readFileSync(file, "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: Mutant[] = [];
  const add = (node: ts.Node | { pos: number; end: number }, op: string, replacement: string, start?: number) => {
    const from = start ?? (node as ts.Node).getStart?.(source) ?? node.pos;
    const line = source.getLineAndCharacterOfPosition(from).line + 1;
    out.push({ file, line, op, start: from, end: node.end, replacement, original: text.slice(from, node.end) });
  };
  const isStringy = (n: ts.Node) => ts.isStringLiteral(n) || ts.isTemplateExpression(n) || ts.isNoSubstitutionTemplateLiteral(n);
  const visit = (node: ts.Node): void => {
    if (ts.isTypeNode(node) || ts.isImportDeclaration(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) return;
    if (ts.isBinaryExpression(node)) {
      const swap = BINARY[node.operatorToken.kind];
      const arithmetic = node.operatorToken.kind === ts.SyntaxKind.PlusToken || node.operatorToken.kind === ts.SyntaxKind.MinusToken;
      // `+` on strings is concatenation of messages: not a logic bug worth a mutant.
      if (swap && !(arithmetic && (isStringy(node.left) || isStringy(node.right) || !(ts.isNumericLiteral(node.right) || ts.isNumericLiteral(node.left))))) {
        add(node.operatorToken, swap[1], swap[0]);
      }
    }
    if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) {
      add(node, "drop-not", node.operand.getText(source));
    }
    if (ts.isAwaitExpression(node)) add(node, "drop-await", node.expression.getText(source));
    if (node.kind === ts.SyntaxKind.TrueKeyword) add(node, "flip-boolean", "false");
    if (node.kind === ts.SyntaxKind.FalseKeyword) add(node, "flip-boolean", "true");
    if (ts.isIfStatement(node)) {
      add(node.expression, "if-false", "false");
      add(node.expression, "if-true", "true");
    }
    if (ts.isConditionalExpression(node)) add(node.condition, "cond-true", "true");
    if (ts.isThrowStatement(node)) add(node, "drop-throw", ";");
    if (ts.isReturnStatement(node) && node.expression && ts.isBlock(node.parent) && node.parent.statements.length > 1) {
      add(node, "drop-return", ";");
    }
    if (ts.isExpressionStatement(node) && (ts.isCallExpression(node.expression) || ts.isAwaitExpression(node.expression))) {
      add(node, "drop-call", ";");
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const name = node.expression.name.text;
      const receiver = node.expression.expression.getText(source);
      if (name === "filter" || name === "where" || name === "sort" || name === "reverse" || name === "trim") {
        add(node, `drop-${name}`, receiver);
      }
      const swapTo = Object.hasOwn(METHOD_SWAPS, name) ? METHOD_SWAPS[name] : undefined; // not "toString" of Object.prototype
      if (swapTo) add(node.expression.name, "swap-method", swapTo);
      if (name === "slice" && node.arguments[0] && ts.isNumericLiteral(node.arguments[0])) {
        add(node.arguments[0], "off-by-one", String(Number(node.arguments[0].text) + 1));
      }
    }
    if (ts.isCallExpression(node) && node.arguments.length === 2) {
      const [a, b] = node.arguments;
      if (a && b && !ts.isArrowFunction(a) && !ts.isArrowFunction(b) && !ts.isObjectLiteralExpression(a)) {
        add({ pos: a.getStart(source), end: b.end }, "swap-args", `${b.getText(source)}, ${a.getText(source)}`, a.getStart(source));
      }
    }
    if (ts.isNumericLiteral(node) && (node.text === "0" || node.text === "1")) {
      add(node, "constant", node.text === "0" ? "1" : "0");
    }
    if (ts.isParameter(node) && node.initializer && !ts.isObjectLiteralExpression(node.initializer)) {
      add(node.initializer, "default", ts.isNumericLiteral(node.initializer) ? String(Number(node.initializer.text) + 1) : "undefined");
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

if (import.meta.main) {
  const all = process.argv.slice(2).flatMap(mutantsOf);
  process.stdout.write(JSON.stringify(all, null, 1));
}
