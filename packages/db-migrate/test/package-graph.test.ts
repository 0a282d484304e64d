import { describe, expect, test } from "bun:test";
import { buildPackageGraph, DependencyCycleError, DependencyVersionError, dependentsOf, MissingDependencyError, orderPackages } from "../src/index.ts";

const node = (packageName: string, dependencies: Record<string, string> = {}, version = "1.0.0") => ({ packageName, version, dependencies });
const core = node("@ydtb/core");

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

  test("a cycle is rejected with its full path", () => {
    const attempt = () => orderPackages([core, node("@ydtb/a", { "@ydtb/b": "*" }), node("@ydtb/b", { "@ydtb/c": "*" }), node("@ydtb/c", { "@ydtb/a": "*" })]);
    expect(attempt).toThrow(DependencyCycleError);
    try {
      attempt();
    } catch (error) {
      expect((error as DependencyCycleError).code).toBe("DEPENDENCY_CYCLE");
      expect((error as DependencyCycleError).path).toEqual(["@ydtb/a", "@ydtb/b", "@ydtb/c", "@ydtb/a"]);
    }
  });

  test("a two-package cycle and a self-dependency", () => {
    try {
      orderPackages([core, node("@ydtb/a", { "@ydtb/b": "*" }), node("@ydtb/b", { "@ydtb/a": "*" })]);
      throw new Error("expected a cycle");
    } catch (error) {
      expect((error as DependencyCycleError).path).toEqual(["@ydtb/a", "@ydtb/b", "@ydtb/a"]);
    }
    try {
      orderPackages([core, node("@ydtb/a", { "@ydtb/a": "*" })]);
      throw new Error("expected a cycle");
    } catch (error) {
      expect((error as DependencyCycleError).path).toEqual(["@ydtb/a", "@ydtb/a"]);
    }
  });

  test("a missing dependency names who needs it", () => {
    try {
      orderPackages([core, node("@ydtb/crm", { "@ydtb/contacts": "^2.0.0" })]);
      throw new Error("expected an error");
    } catch (error) {
      expect(error).toBeInstanceOf(MissingDependencyError);
      expect((error as MissingDependencyError).code).toBe("MISSING_DEPENDENCY");
      expect((error as MissingDependencyError).packageName).toBe("@ydtb/crm");
      expect((error as MissingDependencyError).dependency).toBe("@ydtb/contacts");
    }
  });

  test("without core, core is the missing dependency", () => {
    expect(() => orderPackages([node("@ydtb/a")])).toThrow(MissingDependencyError);
  });

  test("an installed version outside a declared range names both", () => {
    try {
      orderPackages([core, node("@ydtb/contacts", {}, "1.4.0"), node("@ydtb/crm", { "@ydtb/contacts": "^2.0.0" })]);
      throw new Error("expected an error");
    } catch (error) {
      expect(error).toBeInstanceOf(DependencyVersionError);
      const e = error as DependencyVersionError;
      expect([e.code, e.packageName, e.dependency, e.range, e.installed]).toEqual(["DEPENDENCY_VERSION_MISMATCH", "@ydtb/crm", "@ydtb/contacts", "^2.0.0", "1.4.0"]);
    }
  });
});
