// Column access: the per-model generated functions and the generic loops (used where code generation is not allowed)
// must do the same thing, for any attribute name.
import { describe, expect, it } from "vitest";
import { allowCodeGeneration, columnAccess, gather, setSequence } from "../../src/orm/column-access.js";

/** `make`, run as where code generation is not allowed (the generic loops). */
function withoutCodeGeneration<A extends unknown[], R>(make: (...args: A) => R): (...args: A) => R {
  return (...args) => {
    allowCodeGeneration(false);
    try {
      return make(...args);
    } finally {
      allowCodeGeneration(true);
    }
  };
}

const keys = ["id", "first name", 'quote"and\\backslash', "constructor", "when"];

describe.each([
  ["generated", columnAccess],
  ["generic", withoutCodeGeneration(columnAccess)],
])("column access (%s)", (_, make) => {
  const access = make(keys);

  it("init gives every attribute, undefined, in column order", () => {
    const o = {};
    access.init(o);
    expect(Object.keys(o)).toEqual(keys);
    expect(Object.values(o)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it("assign and read copy from and to an offset", () => {
    const o = {};
    access.init(o);
    const when = new Date(0);
    access.assign(o, ["skip", 1, "ann", "q", "c", when], 1);
    expect(o).toEqual({ id: 1, "first name": "ann", 'quote"and\\backslash': "q", constructor: "c", when });
    const out = new Array(7).fill("x");
    access.read(o, out, 2);
    expect(out).toEqual(["x", "x", 1, "ann", "q", "c", when]);
  });

  it("changed compares with committed values at an offset (by value for dates; unset is unchanged)", () => {
    const o: Record<string, unknown> = {};
    access.assign(o, [1, "ann", "q", "c", new Date(5)], 0);
    const committed = ["pad", 1, "ann", "q", "c", new Date(5)];
    expect(access.changed(o, committed, 1)).toBe(false);
    o.when = new Date(6);
    expect(access.changed(o, committed, 1)).toBe(true);
    o.when = undefined; // never set since load: nothing to write
    expect(access.changed(o, committed, 1)).toBe(false);
    o["first name"] = null;
    expect(access.changed(o, committed, 1)).toBe(true);
  });
});

describe.each([
  ["generated", gather, setSequence],
  ["generic", withoutCodeGeneration(gather), withoutCodeGeneration(setSequence)],
])("gather and setSequence (%s)", (_, makeGather, makeSetSequence) => {
  it("reads some attributes of many objects in order, and sets one attribute on many to consecutive keys", () => {
    const items = [{ obj: { id: 1, "first name": "a", x: 0 } }, { obj: { id: 2, "first name": "b", x: 0 } }, { obj: { id: 3, "first name": "c", x: 0 } }];
    const out: unknown[] = [];
    makeGather(["first name", "id"])(items, out);
    expect(out).toEqual(["a", 1, "b", 2, "c", 3]);
    const keyOf = () => items.map((i) => (i.obj as Record<string, unknown>)['quote"key']);
    makeSetSequence('quote"key')(items, 10, 1);
    expect(keyOf()).toEqual([10, 11, 12]);
    makeSetSequence('quote"key')(items, 7, 3); // MySQL's auto_increment_increment
    expect(keyOf()).toEqual([7, 10, 13]);
    makeSetSequence('quote"key')(items, 9007199254740993n, 2);
    expect(keyOf()).toEqual([9007199254740993n, 9007199254740995n, 9007199254740997n]);
  });
});

describe("sharing", () => {
  it("models with the same attribute names share the made functions (a model declared again finds them warm)", () => {
    expect(columnAccess(["id", "name"])).toBe(columnAccess(["id", "name"]));
    expect(gather(["name", "id"])).toBe(gather(["name", "id"]));
    expect(setSequence("id")).toBe(setSequence("id"));
    expect(columnAccess(["id", "name"])).not.toBe(columnAccess(["name", "id"]));
    expect(columnAccess(["a,b"])).not.toBe(columnAccess(["a", "b"]));
    // The generic loops (no code generation) are kept apart from generated code.
    const generic = withoutCodeGeneration(columnAccess)(["id", "name"]);
    expect(generic).not.toBe(columnAccess(["id", "name"]));
    expect(withoutCodeGeneration(columnAccess)(["id", "name"])).toBe(generic);
  });
});
