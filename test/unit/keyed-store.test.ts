// KeyedStore: the identity map's store (integer keys in an array, the others in a Map) must behave like a Map.
import { describe, expect, it } from "vitest";
import { KeyedStore } from "../../src/orm/keyed-store.js";

const o = (n: number | string) => ({ n });

describe("KeyedStore", () => {
  it("behaves like a Map for every kind of key, with integer keys iterated in ascending order", () => {
    const s = new KeyedStore<{ n: unknown }>();
    const keys: unknown[] = [3, 1, 2, 0, -1, 1.5, "1", 10n, "a\u0000b", 2 ** 31, 1e9, Number.MAX_SAFE_INTEGER];
    for (const k of keys) s.set(k, o(String(k)));
    expect(s.size).toBe(keys.length);
    for (const k of keys) expect(s.get(k)).toEqual(o(String(k)));
    // "1" and 1 are different keys; a missing key is undefined.
    expect(s.get("1")).not.toBe(s.get(1));
    expect(s.get(4)).toBeUndefined();
    expect(s.get(5000)).toBeUndefined();
    expect([...s.values()].map((v) => v.n)).toEqual([
      "0",
      "1",
      "2",
      "3",
      "-1",
      "1.5",
      "1",
      "10",
      "a\u0000b",
      String(2 ** 31),
      "1000000000",
      String(Number.MAX_SAFE_INTEGER),
    ]);
    // Replacing keeps the size; deleting lowers it; the last delete empties it.
    s.set(2, o("two"));
    expect(s.size).toBe(keys.length);
    expect(s.get(2)).toEqual(o("two"));
    for (const k of keys) expect(s.delete(k)).toBe(true);
    expect(s.delete(2)).toBe(false);
    expect(s.size).toBe(0);
    expect([...s.values()]).toEqual([]);
  });

  it("finds an integer key kept in the Map after the array has grown past it", () => {
    const s = new KeyedStore<{ n: unknown }>();
    s.set(0, o(0));
    s.set(5000, o(5000)); // far beyond the array's end: goes to the Map
    for (let i = 1; i < 6000; i++) if (i !== 5000) s.set(i, o(i));
    expect(s.size).toBe(6000);
    expect(s.get(5000)).toEqual(o(5000));
    s.set(5000, o("again")); // updated where it is, not added twice
    expect(s.size).toBe(6000);
    expect(s.get(5000)).toEqual(o("again"));
    expect(s.delete(5000)).toBe(true);
    expect(s.get(5000)).toBeUndefined();
    expect(s.size).toBe(5999);
  });

  it("starts its array at the first integer key and extends it downwards for keys near below", () => {
    const s = new KeyedStore<{ n: unknown }>();
    // Descending ids (a query ordered by id DESC), starting far from 0: still iterated in ascending order.
    for (let k = 7000; k >= 6000; k--) s.set(k, o(k));
    s.set(3, o(3)); // far below: kept in the Map, visited after the array's keys
    expect(s.size).toBe(1002);
    for (let k = 6000; k <= 7000; k++) expect(s.get(k)).toEqual(o(k));
    expect(s.get(3)).toEqual(o(3));
    expect(s.get(5999)).toBeUndefined();
    expect(s.get(2)).toBeUndefined();
    const order = [...s.values()].map((v) => v.n as number);
    expect(order.slice(0, 1001)).toEqual(Array.from({ length: 1001 }, (_, i) => 6000 + i));
    expect(order[1001]).toBe(3);
    // Emptied, the array starts again at the next key stored.
    for (let k = 6000; k <= 7000; k++) expect(s.delete(k)).toBe(true);
    expect(s.delete(3)).toBe(true);
    expect(s.size).toBe(0);
    s.set(42, o(42));
    s.set(41, o(41));
    expect([...s.values()].map((v) => v.n)).toEqual([41, 42]);
  });

  it("some() visits every value until the callback says stop", () => {
    const s = new KeyedStore<{ n: unknown }>();
    for (const k of [2, 1, "x"]) s.set(k, o(k));
    const seen: unknown[] = [];
    expect(
      s.some((v) => {
        seen.push(v.n);
        return false;
      }),
    ).toBe(false);
    expect(seen).toEqual([1, 2, "x"]);
    expect(s.some((v) => v.n === 2)).toBe(true);
  });
});
