/**
 * Patterns for `receive` and `match`: literals, `ANY`, `IGNORE`, constructors and
 * classes, arrays, plain objects and `where(predicate)`. A pattern is compiled once
 * into a matcher that pushes the extracted values, depth first, left to right.
 */

/** Matches anything and extracts it. */
export const ANY: unique symbol = Symbol.for("fauxtp.ANY");
/** Matches anything and extracts nothing. */
export const IGNORE: unique symbol = Symbol.for("fauxtp.IGNORE");

const WHERE = Symbol("fauxtp.where");

/** A predicate pattern, made by `where`. */
export interface Where<T = unknown> {
  readonly [WHERE]: (value: unknown) => unknown;
  /** type-level only */
  readonly __type?: T;
}

/** Matches when `predicate(value)` is truthy, and extracts the value. */
export function where<T = unknown>(predicate: (value: any) => unknown): Where<T> {
  if (typeof predicate !== "function") {
    throw new TypeError(`where: expected a predicate function, got ${typeof predicate}`);
  }
  return { [WHERE]: predicate };
}

/** Anything usable as a pattern. */
export type Pattern = unknown;

/** @internal a compiled pattern: pushes extractions onto `out`, returns whether it matched */
export type Matcher = (value: unknown, out: unknown[]) => boolean;

const typeofMatcher =
  (type: string): Matcher =>
  (v, out) => {
    if (typeof v !== type) return false;
    out.push(v);
    return true;
  };

const primitiveCtors = new Map<unknown, Matcher>([
  [String, typeofMatcher("string")],
  [Number, typeofMatcher("number")],
  [Boolean, typeofMatcher("boolean")],
  [BigInt, typeofMatcher("bigint")],
  [Symbol, typeofMatcher("symbol")],
  [Function, typeofMatcher("function")],
  [
    Array,
    (v, out) => {
      if (!Array.isArray(v)) return false;
      out.push(v);
      return true;
    },
  ],
  [
    Object,
    (v, out) => {
      if (v === null || typeof v !== "object") return false;
      out.push(v);
      return true;
    },
  ],
]);

const anyMatcher: Matcher = (v, out) => {
  out.push(v);
  return true;
};
const ignoreMatcher: Matcher = () => true;

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * @internal compile a pattern. Not cached by identity: a pattern object may be changed
 * between uses, and each use must see its content at that time.
 */
export function compile(pattern: Pattern): Matcher {
  if (pattern === ANY) return anyMatcher;
  if (pattern === IGNORE) return ignoreMatcher;
  if (pattern === null || (typeof pattern !== "object" && typeof pattern !== "function")) {
    return (v) => Object.is(v, pattern);
  }
  return compileObject(pattern);
}

function compileObject(pattern: object): Matcher {
  const prim = primitiveCtors.get(pattern);
  if (prim) return prim;
  if (typeof pattern === "function") {
    const ctor = pattern as abstract new (...args: never[]) => unknown;
    return (v, out) => {
      if (!(v instanceof ctor)) return false;
      out.push(v);
      return true;
    };
  }
  if (WHERE in pattern) {
    const pred = (pattern as Where)[WHERE];
    return (v, out) => {
      if (!pred(v)) return false;
      out.push(v);
      return true;
    };
  }
  if (Array.isArray(pattern)) {
    const items = pattern.map(compile);
    const n = items.length;
    // Literal elements (tags, mostly) are checked first and inline: cheap rejections.
    const literals: number[] = [];
    for (let i = 0; i < n; i++) {
      const p: unknown = pattern[i];
      if (p === null || (typeof p !== "object" && typeof p !== "function" && typeof p !== "symbol"))
        literals.push(i);
    }
    const literalValues = literals.map((i) => pattern[i] as unknown);
    return (v, out) => {
      if (!Array.isArray(v) || v.length !== n) return false;
      for (let k = 0; k < literals.length; k++) {
        if (!Object.is(v[literals[k] as number], literalValues[k])) return false;
      }
      for (let i = 0; i < n; i++) if (!(items[i] as Matcher)(v[i], out)) return false;
      return true;
    };
  }
  if (isPlainObject(pattern)) {
    const keys = Object.keys(pattern);
    const items = keys.map((k) => compile((pattern as Record<string, unknown>)[k]));
    return (v, out) => {
      if (v === null || typeof v !== "object") return false;
      const rec = v as Record<string, unknown>;
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i] as string;
        if (!(k in rec)) return false;
        if (!(items[i] as Matcher)(rec[k], out)) return false;
      }
      return true;
    };
  }
  // Any other object (a Pid, a Ref, a Date instance...) matches by identity.
  return (v) => v === pattern;
}

/**
 * Match `value` against `pattern`: the extracted values, or `undefined` when it does not match.
 * @example
 * match(["add", 3], ["add", Number]); // [3]
 * match({ op: "get", key: "a", extra: 1 }, { op: "get", key: String }); // ["a"]
 */
export function match(value: unknown, pattern: Pattern): unknown[] | undefined {
  const out: unknown[] = [];
  return compile(pattern)(value, out) ? out : undefined;
}
