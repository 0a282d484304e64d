import { describe, expect, test } from "bun:test";
import {
  buildPackageGraph,
  DependencyCycleError,
  DependencyVersionError,
  dependenciesOf,
  dependentsOf,
  MissingDependencyError,
  orderOrNames,
  orderPackages,
  satisfiesRange,
} from "../src/index.ts";

const node = (packageName: string, dependencies: Record<string, string> = {}, version = "1.0.0") => ({ packageName, version, dependencies });
const core = node("@ydtb/core");

/** The error `fn` throws, checked to be a `type`; fails the test when it throws nothing. */
function thrown<E extends Error>(type: new (...args: never[]) => E, fn: () => unknown): E {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return error as E;
  }
  throw new Error(`expected ${type.name}, nothing was thrown`);
}

describe("package graph", () => {
  test("orders dependencies first and breaks ties by name, whatever the input order", () => {
    const input = [node("@ydtb/zeta"), node("@ydtb/crm", { "@ydtb/contacts": "^1.0.0" }), node("@ydtb/alpha"), node("@ydtb/contacts"), core];
    const expected = ["@ydtb/core", "@ydtb/alpha", "@ydtb/contacts", "@ydtb/crm", "@ydtb/zeta"];
    expect(orderPackages(input)).toEqual(expected);
    expect(orderPackages([...input].reverse())).toEqual(expected);
  });

  test("every package depends on @ydtb/core even when its manifest omits it", () => {
    const graph = buildPackageGraph([node("@ydtb/a"), core]);
    expect(graph.hasEdge("@ydtb/core", "@ydtb/a")).toBe(true);
    expect(dependentsOf(graph, "@ydtb/core")).toEqual(["@ydtb/a"]);
  });

  test("dependents and dependencies are transitive", () => {
    const graph = buildPackageGraph([core, node("@ydtb/a"), node("@ydtb/b", { "@ydtb/a": "*" }), node("@ydtb/c", { "@ydtb/b": "*" }), node("@ydtb/z")]);
    expect(dependentsOf(graph, "@ydtb/a")).toEqual(["@ydtb/b", "@ydtb/c"]);
    expect(dependenciesOf(graph, "@ydtb/c")).toEqual(["@ydtb/a", "@ydtb/b", "@ydtb/core"]);
    expect(dependentsOf(graph, "@ydtb/core")).toEqual(["@ydtb/a", "@ydtb/b", "@ydtb/c", "@ydtb/z"]);
    expect(dependenciesOf(graph, "@ydtb/core")).toEqual([]);
  });

  test("a cycle is rejected with its full path", () => {
    const e = thrown(DependencyCycleError, () => orderPackages([core, node("@ydtb/a", { "@ydtb/b": "*" }), node("@ydtb/b", { "@ydtb/c": "*" }), node("@ydtb/c", { "@ydtb/a": "*" })]));
    expect([e.code, e.path]).toEqual(["DEPENDENCY_CYCLE", ["@ydtb/a", "@ydtb/b", "@ydtb/c", "@ydtb/a"]]);
  });

  test("a two-package cycle and a self-dependency", () => {
    expect(thrown(DependencyCycleError, () => orderPackages([core, node("@ydtb/a", { "@ydtb/b": "*" }), node("@ydtb/b", { "@ydtb/a": "*" })])).path).toEqual(["@ydtb/a", "@ydtb/b", "@ydtb/a"]);
    expect(thrown(DependencyCycleError, () => orderPackages([core, node("@ydtb/a", { "@ydtb/a": "*" })])).path).toEqual(["@ydtb/a", "@ydtb/a"]);
  });

  test("a missing dependency names who needs it", () => {
    const e = thrown(MissingDependencyError, () => orderPackages([core, node("@ydtb/crm", { "@ydtb/contacts": "^2.0.0" })]));
    expect([e.code, e.packageName, e.dependency, e.range]).toEqual(["MISSING_DEPENDENCY", "@ydtb/crm", "@ydtb/contacts", "^2.0.0"]);
  });

  test("without core, core is the missing dependency", () => {
    expect(thrown(MissingDependencyError, () => orderPackages([node("@ydtb/a")])).dependency).toBe("@ydtb/core");
  });

  test("an installed version outside a declared range names both", () => {
    const e = thrown(DependencyVersionError, () => orderPackages([core, node("@ydtb/contacts", {}, "1.4.0"), node("@ydtb/crm", { "@ydtb/contacts": "^2.0.0" })]));
    expect([e.code, e.packageName, e.dependency, e.range, e.installed]).toEqual(["DEPENDENCY_VERSION_MISMATCH", "@ydtb/crm", "@ydtb/contacts", "^2.0.0", "1.4.0"]);
  });

  test("prerelease versions are judged against ranges like releases", () => {
    expect([satisfiesRange("1.2.0-beta.1", "^1.0.0"), satisfiesRange("2.0.0-rc.1", "^1.0.0"), satisfiesRange("2.0.0-rc.1", "*"), satisfiesRange("1.0.0-alpha.0", "^1.0.0")]).toEqual([true, false, true, false]);
    expect(orderPackages([core, node("@ydtb/contacts", {}, "1.3.0-beta.2"), node("@ydtb/crm", { "@ydtb/contacts": "^1.0.0" })])).toEqual(["@ydtb/core", "@ydtb/contacts", "@ydtb/crm"]);
    expect(thrown(DependencyVersionError, () => orderPackages([core, node("@ydtb/contacts", {}, "2.0.0-rc.1"), node("@ydtb/crm", { "@ydtb/contacts": "^1.0.0" })])).installed).toBe("2.0.0-rc.1");
  });

  test("a broken graph still gives an order (by name) and hands its error back", () => {
    const broken = orderOrNames([node("@ydtb/b", { "@ydtb/a": "*" }), node("@ydtb/a", { "@ydtb/b": "*" }), core]);
    expect(broken.order).toEqual(["@ydtb/a", "@ydtb/b", "@ydtb/core"]);
    expect(broken.graphError).toBeInstanceOf(DependencyCycleError);
    expect(orderOrNames([core, node("@ydtb/a")])).toEqual({ order: ["@ydtb/core", "@ydtb/a"] });
  });
});
