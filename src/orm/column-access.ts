/**
 * Code for the column attributes of objects, made for their attribute names: set them all, copy them from a row, copy
 * them out, compare them with committed values, gather a flush's INSERT values, set its generated keys. Generic loops
 * (`o[keys[i]]`) see every model's hidden classes and every attribute name at one site, which V8 can only serve
 * through its slow megamorphic path (~60 ns per object in an autoflush scan, and deoptimizations each time a new
 * model class shows up); small functions with the attribute names written in see one name per access site and only
 * the classes of the models with those names (usually one).
 *
 * The code is generated with `new Function` from the attribute names (each quoted by JSON.stringify, so any name is a
 * plain string literal). Where code generation is not allowed (`--disallow-code-generation-from-strings`, a CSP), the
 * generic loops are used: same results, slower.
 */
import { valuesDiffer } from "./unit-of-work/compare.js";

/** False once code generation failed (not allowed here): the generic loops are used from then on. */
let generationAllowed = true;

/**
 * The functions made so far, by what they are made from (the attribute names): models with the same attribute names
 * share them, so a model declared again (test suites, the benchmark's runs, hot reloading) finds them optimized
 * instead of starting cold, and the shared sites calling them keep seeing the same functions. Bounded: past 2,000
 * it starts over.
 */
const MADE = new Map<string, unknown>();

function shared<T>(id: string, build: () => T): T {
  const key = `${generationAllowed ? "g" : "n"}${id}`;
  let f = MADE.get(key) as T | undefined;
  if (f === undefined) {
    if (MADE.size >= 2000) MADE.clear();
    f = build();
    MADE.set(key, f);
  }
  return f;
}

/** A cache id for a list of attribute names (JSON: any name, no ambiguity). */
const idOf = (kind: string, keys: readonly string[]) => `${kind}${JSON.stringify(keys)}`;

/** The column attributes of one model, in column order. */
export interface ColumnAccess {
  /** Gives a new object every column attribute (undefined), in column order: one hidden class per model. */
  readonly init: (o: object) => void;
  /** Sets the column attributes from `row[at]` onwards. */
  readonly assign: (o: object, row: readonly unknown[], at: number) => void;
  /** Writes the column attributes into `out[at]` onwards. */
  readonly read: (o: object, out: unknown[], at: number) => void;
  /** True if an attribute differs from its committed value at `committed[at + i]` (see valuesDiffer). */
  readonly changed: (o: object, committed: readonly unknown[], at: number) => boolean;
}

/** Reads attributes `keys` of many objects (each `items[i].obj`) into `out`, object after object. */
export type Gather = (items: readonly { readonly obj: object }[], out: unknown[]) => void;
/** Sets one attribute on many objects (each `items[i].obj`) to `first`, `first + step`, ... (number or bigint keys). */
export type SetSequence = (items: readonly { readonly obj: object }[], first: number | bigint, step: number) => void;

/**
 * A Gather for `keys` (a flush's INSERT values: the columns a group of new objects gives).
 *
 * ```ts
 * gather(["name", "fullname"])(states, values); // values = [s0.obj.name, s0.obj.fullname, s1.obj.name, ...]
 * ```
 */
export function gather(keys: readonly string[]): Gather {
  return shared(idOf("gather", keys), () => makeGather(keys));
}

function makeGather(keys: readonly string[]): Gather {
  const body = keys.map((k) => `out[at++] = o[${JSON.stringify(k)}];`).join(" ");
  const made = make<Gather>(
    ["items", "out"],
    `let at = 0;
for (let i = 0; i < items.length; i++) {
const o = items[i].obj;
${body}
}`,
  );
  return made ?? genericGather(keys);
}

function genericGather(keys: readonly string[]): Gather {
  return (items, out) => {
    let at = 0;
    for (let i = 0; i < items.length; i++) {
      const o = items[i].obj as Record<string, unknown>;
      for (let c = 0; c < keys.length; c++) out[at++] = o[keys[c]];
    }
  };
}

/**
 * A SetSequence for attribute `key` (a flush's autoincrement keys, consecutive from the driver's insert id).
 *
 * ```ts
 * setSequence("id")(states, 41, 1); // states[0].obj.id = 41, states[1].obj.id = 42
 * ```
 */
export function setSequence(key: string): SetSequence {
  return shared(idOf("sequence", [key]), () => makeSetSequence(key));
}

function makeSetSequence(key: string): SetSequence {
  const k = JSON.stringify(key);
  const made = make<SetSequence>(
    ["items", "first", "step"],
    `if (typeof first === "bigint") {
const s = BigInt(step);
for (let i = 0; i < items.length; i++) items[i].obj[${k}] = first + BigInt(i) * s;
} else for (let i = 0; i < items.length; i++) items[i].obj[${k}] = first + i * step;`,
  );
  return made ?? genericSetSequence(key);
}

function genericSetSequence(key: string): SetSequence {
  return (items, first, step) => {
    for (let i = 0; i < items.length; i++)
      (items[i].obj as Record<string, unknown>)[key] = typeof first === "bigint" ? first + BigInt(i) * BigInt(step) : first + i * step;
  };
}

/** A function from generated source, or null (and no more tries) where code generation is not allowed. */
function make<F>(params: readonly string[], body: string): F | null {
  if (!generationAllowed) return null;
  try {
    return new Function(
      ...params,
      `"use strict";
${body}`,
    ) as F;
  } catch {
    generationAllowed = false;
    return null;
  }
}

/**
 * The column access functions for attributes `keys` (generated code, or generic loops where that is not allowed).
 *
 * ```ts
 * const access = columnAccess(["id", "name"]);
 * access.read(user, out, 0); // out[0] = user.id, out[1] = user.name
 * ```
 */
export function columnAccess(keys: readonly string[]): ColumnAccess {
  return shared(idOf("access", keys), () => generated(keys) ?? generic(keys));
}

function generated(keys: readonly string[]): ColumnAccess | null {
  const names = keys.map((k) => `o[${JSON.stringify(k)}]`);
  const init = names.map((n) => `${n} = undefined;`).join("\n");
  const assign = names.map((n, i) => `${n} = row[at + ${i}];`).join("\n");
  const read = names.map((n, i) => `out[at + ${i}] = ${n};`).join("\n");
  // The common case (same value, or never set since load) decided inline; valuesDiffer for the rest.
  const changed = names.map((n, i) => `v = ${n}; w = c[at + ${i}]; if (v !== w && v !== undefined && differ(v, w)) return true;`).join("\n");
  const made = make<(differ: typeof valuesDiffer) => ColumnAccess>(
    ["differ"],
    `return {
  init: function init(o) {\n${init}\n},
  assign: function assign(o, row, at) {\n${assign}\n},
  read: function read(o, out, at) {\n${read}\n},
  changed: function changed(o, c, at) {\nlet v, w;\n${changed}\nreturn false;\n},
};`,
  );
  return made === null ? null : made(valuesDiffer);
}

function generic(keys: readonly string[]): ColumnAccess {
  return {
    init(obj) {
      const o = obj as Record<string, unknown>;
      for (let i = 0; i < keys.length; i++) o[keys[i]] = undefined;
    },
    assign(obj, row, at) {
      const o = obj as Record<string, unknown>;
      for (let i = 0; i < keys.length; i++) o[keys[i]] = row[at + i];
    },
    read(obj, out, at) {
      const o = obj as Record<string, unknown>;
      for (let i = 0; i < keys.length; i++) out[at + i] = o[keys[i]];
    },
    changed(obj, c, at) {
      const o = obj as Record<string, unknown>;
      for (let i = 0; i < keys.length; i++) if (valuesDiffer(o[keys[i]], c[at + i])) return true;
      return false;
    },
  };
}

/**
 * @internal For tests: makes the functions above use the generic loops (as where code generation is not allowed), or
 * generated code again.
 */
export function allowCodeGeneration(allowed: boolean): void {
  generationAllowed = allowed;
}
