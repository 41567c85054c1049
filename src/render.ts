/**
 * Short, stable renderings of values for traces and reports: no object identities,
 * no addresses, nothing that changes between two runs of the same program.
 */

/** Objects may render themselves through this key. */
export const RENDER: unique symbol = Symbol.for("fauxtp.render");

const MAX = 80;

/** Render `value` in at most `max` characters. */
export function render(value: unknown, max: number = MAX): string {
  const s = renderInner(value, 3);
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

function renderInner(v: unknown, depth: number): string {
  switch (typeof v) {
    case "string":
      return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);
    case "number":
      return Object.is(v, -0) ? "-0" : String(v);
    case "bigint":
      return `${v}n`;
    case "boolean":
    case "undefined":
      return String(v);
    case "symbol":
      return v.description !== undefined ? `Symbol(${v.description})` : "Symbol()";
    case "function":
      return `fn ${v.name || "anonymous"}`;
  }
  if (v === null) return "null";
  const obj = v as Record<PropertyKey, unknown>;
  const custom = obj[RENDER];
  if (typeof custom === "function") return String((custom as () => string).call(v));
  if (depth === 0) return Array.isArray(v) ? "[…]" : "{…}";
  if (Array.isArray(v)) return `[${v.map((x) => renderInner(x, depth - 1)).join(", ")}]`;
  if (v instanceof Error) return `${v.name}(${JSON.stringify(v.message)})`;
  const ctor = (Object.getPrototypeOf(v) as { constructor?: { name?: string } } | null)?.constructor;
  const proto = ctor?.name;
  if (proto !== undefined && proto !== "Object") {
    const str = (v as { toString(): string }).toString();
    if (typeof str === "string" && !str.startsWith("[object")) return str;
  }
  const body = Object.keys(obj)
    .map((k) => `${k}: ${renderInner(obj[k], depth - 1)}`)
    .join(", ");
  return proto !== undefined && proto !== "Object" ? `${proto} {${body}}` : `{${body}}`;
}
