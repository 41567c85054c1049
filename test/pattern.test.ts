import { describe, it, expect } from "vitest";
import { ANY, IGNORE, Pid, Ref, makeRef, match, where, withScope } from "fauxtp";

class Animal {
  readonly name: string;
  constructor(name: string) {
    this.name = name;
  }
}

class Dog extends Animal {}

class Rock {}

describe("match: ANY and IGNORE", () => {
  it("ANY matches every value and extracts it", async () => {
    await withScope(async () => {
      expect(match("hello", ANY)).toEqual(["hello"]);
      expect(match(123, ANY)).toEqual([123]);
      expect(match(null, ANY)).toEqual([null]);
      expect(match(undefined, ANY)).toEqual([undefined]);
      const obj = { a: 1 };
      const extracted = match(obj, ANY);
      expect(extracted).toHaveLength(1);
      expect(extracted?.[0]).toBe(obj);
    });
  });

  it("IGNORE matches every value and extracts nothing", async () => {
    await withScope(async () => {
      expect(match("hello", IGNORE)).toEqual([]);
      expect(match(123, IGNORE)).toEqual([]);
      expect(match(null, IGNORE)).toEqual([]);
      expect(match(undefined, IGNORE)).toEqual([]);
    });
  });
});

describe("match: literals", () => {
  it("matches equal primitives and extracts nothing", async () => {
    await withScope(async () => {
      expect(match("ping", "ping")).toEqual([]);
      expect(match(42, 42)).toEqual([]);
      expect(match(true, true)).toEqual([]);
      expect(match(null, null)).toEqual([]);
      expect(match(undefined, undefined)).toEqual([]);
      expect(match(7n, 7n)).toEqual([]);
    });
  });

  it("rejects different primitives", async () => {
    await withScope(async () => {
      expect(match("ping", "pong")).toBeUndefined();
      expect(match(42, 43)).toBeUndefined();
      expect(match("42", 42)).toBeUndefined();
      expect(match(0, false)).toBeUndefined();
      expect(match(null, undefined)).toBeUndefined();
      expect(match(undefined, null)).toBeUndefined();
      expect(match(1, 1n)).toBeUndefined();
    });
  });

  it("compares with Object.is (NaN equals NaN, 0 differs from -0)", async () => {
    await withScope(async () => {
      expect(match(Number.NaN, Number.NaN)).toEqual([]);
      expect(match(0, -0)).toBeUndefined();
      expect(match(-0, 0)).toBeUndefined();
    });
  });

  it("matches a symbol literal only by identity", async () => {
    await withScope(async () => {
      const tag = Symbol("tag");
      expect(match(tag, tag)).toEqual([]);
      expect(match(Symbol("tag"), tag)).toBeUndefined();
    });
  });
});

describe("match: built-in constructors match by JS type", () => {
  it("String", async () => {
    await withScope(async () => {
      expect(match("hello", String)).toEqual(["hello"]);
      expect(match("", String)).toEqual([""]);
      expect(match(123, String)).toBeUndefined();
      expect(match(null, String)).toBeUndefined();
    });
  });

  it("Number", async () => {
    await withScope(async () => {
      expect(match(123, Number)).toEqual([123]);
      expect(match(-1.5, Number)).toEqual([-1.5]);
      expect(match("123", Number)).toBeUndefined();
      expect(match(1n, Number)).toBeUndefined();
      const nan = match(Number.NaN, Number);
      expect(nan).toHaveLength(1);
      expect(Number.isNaN(nan?.[0])).toBe(true);
    });
  });

  it("Boolean", async () => {
    await withScope(async () => {
      expect(match(true, Boolean)).toEqual([true]);
      expect(match(false, Boolean)).toEqual([false]);
      expect(match(0, Boolean)).toBeUndefined();
      expect(match("true", Boolean)).toBeUndefined();
    });
  });

  it("BigInt", async () => {
    await withScope(async () => {
      expect(match(10n, BigInt)).toEqual([10n]);
      expect(match(10, BigInt)).toBeUndefined();
    });
  });

  it("Symbol", async () => {
    await withScope(async () => {
      const s = Symbol("s");
      expect(match(s, Symbol)).toEqual([s]);
      expect(match("s", Symbol)).toBeUndefined();
    });
  });

  it("Function", async () => {
    await withScope(async () => {
      const f = (): number => 1;
      async function g(): Promise<void> {}
      expect(match(f, Function)).toEqual([f]);
      expect(match(g, Function)).toEqual([g]);
      expect(match(Dog, Function)).toEqual([Dog]);
      expect(match({}, Function)).toBeUndefined();
      expect(match("f", Function)).toBeUndefined();
    });
  });

  it("Array", async () => {
    await withScope(async () => {
      const arr = [1, 2, 3];
      const extracted = match(arr, Array);
      expect(extracted).toEqual([[1, 2, 3]]);
      expect(extracted?.[0]).toBe(arr);
      expect(match([], Array)).toEqual([[]]);
      expect(match({ length: 0 }, Array)).toBeUndefined();
      expect(match("abc", Array)).toBeUndefined();
    });
  });

  it("Object", async () => {
    await withScope(async () => {
      const obj = { value: 1 };
      const extracted = match(obj, Object);
      expect(extracted).toHaveLength(1);
      expect(extracted?.[0]).toBe(obj);
      expect(match("x", Object)).toBeUndefined();
      expect(match(1, Object)).toBeUndefined();
      expect(match(undefined, Object)).toBeUndefined();
    });
  });
});

describe("match: classes match by instanceof", () => {
  it("matches instances of a user class and its subclasses", async () => {
    await withScope(async () => {
      const rex = new Dog("rex");
      const extracted = match(rex, Animal);
      expect(extracted).toHaveLength(1);
      expect(extracted?.[0]).toBe(rex);
      expect(match(rex, Dog)).toEqual([rex]);
      expect(match(new Animal("cat"), Dog)).toBeUndefined();
      expect(match(new Rock(), Animal)).toBeUndefined();
      expect(match({ name: "fake" }, Animal)).toBeUndefined();
    });
  });

  it("matches built-in classes such as Error, Map and Date by instanceof", async () => {
    await withScope(async () => {
      const err = new TypeError("bad");
      expect(match(err, Error)).toEqual([err]);
      const m = new Map<string, number>();
      expect(match(m, Map)).toEqual([m]);
      expect(match({}, Map)).toBeUndefined();
      expect(match("2020-01-01", Date)).toBeUndefined();
    });
  });

  it("matches Pid and Ref by class, and tells them apart", async () => {
    await withScope(async (scope) => {
      const pid = scope.inbox().pid;
      const ref = makeRef();
      expect(match(pid, Pid)).toEqual([pid]);
      expect(match(ref, Ref)).toEqual([ref]);
      expect(match(pid, Ref)).toBeUndefined();
      expect(match(ref, Pid)).toBeUndefined();
      expect(match(String(pid), Pid)).toBeUndefined();
    });
  });
});

describe("match: arrays", () => {
  it("matches element by element and extracts left to right", async () => {
    await withScope(async () => {
      expect(match(["ping", 123], ["ping", ANY])).toEqual([123]);
      expect(match(["add", 1, 2], ["add", Number, Number])).toEqual([1, 2]);
      expect(match(["ping", 123], ["pong", ANY])).toBeUndefined();
      expect(match(["add", "1", 2], ["add", Number, Number])).toBeUndefined();
    });
  });

  it("requires the same length", async () => {
    await withScope(async () => {
      expect(match(["a", "b"], ["a", "b", "c"])).toBeUndefined();
      expect(match(["a", "b", "c"], ["a", "b"])).toBeUndefined();
      expect(match(["a", "b"], ["a", "b"])).toEqual([]);
      expect(match([], [])).toEqual([]);
      expect(match([1], [])).toBeUndefined();
    });
  });

  it("does not match non-arrays", async () => {
    await withScope(async () => {
      expect(match("ab", ["a", "b"])).toBeUndefined();
      expect(match({ 0: "a", 1: "b", length: 2 }, ["a", "b"])).toBeUndefined();
      expect(match(null, [])).toBeUndefined();
      expect(match(undefined, [ANY])).toBeUndefined();
    });
  });

  it("IGNORE skips an element without extracting it", async () => {
    await withScope(async () => {
      expect(match(["command", "arg1", "arg2"], ["command", IGNORE, ANY])).toEqual(["arg2"]);
    });
  });

  it("mixes literals and types (test_match_tuple_structure)", async () => {
    await withScope(async () => {
      expect(match(["data", "key", { value: 1 }], ["data", String, Object])).toEqual(["key", { value: 1 }]);
    });
  });
});

describe("match: plain objects", () => {
  it("matches when every pattern key is present and matches; extra keys are allowed", async () => {
    await withScope(async () => {
      expect(match({ type: "add", n: 5, extra: true }, { type: "add", n: Number })).toEqual([5]);
      expect(match({ type: "add", n: 5 }, { type: "add" })).toEqual([]);
      expect(match({ a: 1 }, {})).toEqual([]);
    });
  });

  it("fails when a key is missing or a value does not match", async () => {
    await withScope(async () => {
      expect(match({ type: "add" }, { type: "add", n: Number })).toBeUndefined();
      expect(match({ type: "sub", n: 5 }, { type: "add", n: Number })).toBeUndefined();
      expect(match({ type: "add", n: "5" }, { type: "add", n: Number })).toBeUndefined();
    });
  });

  it("does not match primitives, null or undefined", async () => {
    await withScope(async () => {
      expect(match("add", { type: "add" })).toBeUndefined();
      expect(match(null, { type: "add" })).toBeUndefined();
      expect(match(undefined, {})).toBeUndefined();
      expect(match(5, { n: ANY })).toBeUndefined();
    });
  });

  it("extracts in the pattern's key order", async () => {
    await withScope(async () => {
      expect(match({ b: 2, a: 1 }, { a: ANY, b: ANY })).toEqual([1, 2]);
      expect(match({ a: 1, b: 2 }, { b: ANY, a: ANY })).toEqual([2, 1]);
    });
  });
});

describe("match: where()", () => {
  it("matches when the predicate returns truthy and extracts the value", async () => {
    await withScope(async () => {
      const big = where((x) => typeof x === "number" && x > 3);
      expect(match(5, big)).toEqual([5]);
      expect(match(2, big)).toBeUndefined();
      expect(match("5", big)).toBeUndefined();
    });
  });

  it("treats truthy and falsy non-boolean results accordingly", async () => {
    await withScope(async () => {
      expect(
        match(
          "x",
          where(() => 1),
        ),
      ).toEqual(["x"]);
      expect(
        match(
          "x",
          where(() => "yes"),
        ),
      ).toEqual(["x"]);
      expect(
        match(
          "x",
          where(() => 0),
        ),
      ).toBeUndefined();
      expect(
        match(
          "x",
          where(() => ""),
        ),
      ).toBeUndefined();
      expect(
        match(
          "x",
          where(() => null),
        ),
      ).toBeUndefined();
    });
  });

  it("passes the value under test to the predicate", async () => {
    await withScope(async () => {
      const seen: unknown[] = [];
      const p = where((x) => {
        seen.push(x);
        return true;
      });
      expect(match(["tag", { deep: 1 }], ["tag", p])).toEqual([{ deep: 1 }]);
      expect(seen).toEqual([{ deep: 1 }]);
    });
  });
});

describe("match: nesting and extraction order", () => {
  it("matches nested arrays (test_match_complex_pattern)", async () => {
    await withScope(async () => {
      const message = ["request", ["get", "user", 123], "metadata"];
      const pattern = ["request", ["get", String, Number], ANY];
      expect(match(message, pattern)).toEqual(["user", 123, "metadata"]);
      expect(match(["request", ["get", "user", "123"], "m"], pattern)).toBeUndefined();
    });
  });

  it("extracts depth first, left to right, across arrays and objects", async () => {
    await withScope(async () => {
      const value = [1, [2, { x: 3, y: [4, 5] }, 6], { z: 7 }, 8];
      const pattern = [ANY, [ANY, { x: ANY, y: [ANY, IGNORE] }, ANY], { z: ANY }, ANY];
      expect(match(value, pattern)).toEqual([1, 2, 3, 4, 6, 7, 8]);
    });
  });

  it("an inner failure fails the whole match", async () => {
    await withScope(async () => {
      expect(match(["a", ["b", { c: 1 }]], ["a", ["b", { c: 2 }]])).toBeUndefined();
      expect(match(["a", ["b", { c: 1 }]], ["a", ["b", { c: Number }]])).toEqual([1]);
    });
  });

  it("returns an array even when nothing is extracted, so a match is never confused with no match", async () => {
    await withScope(async () => {
      const m = match(["only", "literals"], ["only", "literals"]);
      expect(Array.isArray(m)).toBe(true);
      expect(m).toEqual([]);
    });
  });
});

describe("patterns are read when used", () => {
  it("a pattern object changed between two uses matches its new content", () => {
    const p: Record<string, unknown> = { op: "get" };
    expect(match({ op: "get" }, p)).toEqual([]);
    p.op = "put";
    expect(match({ op: "put" }, p)).toEqual([]);
    expect(match({ op: "get" }, p)).toBeUndefined();
    const a: unknown[] = ["a", ANY];
    expect(match(["a", 1], a)).toEqual([1]);
    a[0] = "b";
    expect(match(["b", 2], a)).toEqual([2]);
  });
});
