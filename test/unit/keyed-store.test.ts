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
    // Integer keys the array can hold (0 to 2^30 - 1) in ascending order, then the others in insertion order.
    expect([...s.values()].map((v) => v.n)).toEqual([
      "0",
      "1",
      "2",
      "3",
      "1000000000",
      "-1",
      "1.5",
      "1",
      "10",
      "a\u0000b",
      String(2 ** 31),
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

  it("visits integer keys in ascending order wherever they are held; the array follows where the keys are", () => {
    const s = new KeyedStore<{ n: unknown }>();
    // Descending ids (a query ordered by id DESC), starting far from 0: the array extends downwards.
    for (let k = 7000; k >= 6000; k--) s.set(k, o(k));
    s.set(3, o(3)); // far below a full array: kept in the Map, still visited first
    s.set(90_000, o(90_000)); // far beyond: the Map, visited last among the integers
    s.set("x", o("x"));
    expect(s.size).toBe(1004);
    for (let k = 6000; k <= 7000; k++) expect(s.get(k)).toEqual(o(k));
    expect(s.get(3)).toEqual(o(3));
    expect(s.get(5999)).toBeUndefined();
    expect(s.get(2)).toBeUndefined();
    expect([...s.values()].map((v) => v.n)).toEqual([3, ...Array.from({ length: 1001 }, (_, i) => 6000 + i), 90_000, "x"]);
    // One key looked up far away first (session.get(User, 1500)), then the rows: ascending all the same.
    const t = new KeyedStore<{ n: unknown }>();
    for (const k of [1500, 300, 600, 900, 1200]) t.set(k, o(k));
    expect([...t.values()].map((v) => v.n)).toEqual([300, 600, 900, 1200, 1500]);
    // A few values held far away move to the Map, and the array starts again where the new keys are.
    const u = new KeyedStore<{ n: unknown }>();
    u.set(100_000, o(100_000));
    for (let k = 1; k <= 3000; k++) u.set(k, o(k));
    expect(u.size).toBe(3001);
    expect(u.get(100_000)).toEqual(o(100_000));
    const order = [...u.values()].map((v) => v.n as number);
    expect(order).toEqual([...Array.from({ length: 3000 }, (_, i) => i + 1), 100_000]);
    // Emptied, the array starts again at the next key stored.
    for (const k of [...order]) expect(u.delete(k)).toBe(true);
    expect(u.size).toBe(0);
    u.set(42, o(42));
    u.set(41, o(41));
    expect([...u.values()].map((v) => v.n)).toEqual([41, 42]);
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

  it("reserve() sizes the array for a range of keys without changing what it holds", () => {
    const s = new KeyedStore<{ n: unknown }>();
    s.reserve(5, 9, 5);
    expect(s.size).toBe(0);
    expect(s.get(5)).toBeUndefined();
    expect([...s.values()]).toEqual([]);
    for (const k of [5, 6, 7, 8, 9]) s.set(k, o(k));
    s.reserve(10, 20, 11); // the next batch: extends the array
    s.reserve("a", "b", 2); // not integer keys: nothing to do
    s.reserve(9, 3, 1); // not a range: nothing to do
    for (const k of [10, 15, 20, 4, 100000]) s.set(k, o(k));
    expect(s.size).toBe(10);
    expect([...s.values()].map((v) => v.n)).toEqual([4, 5, 6, 7, 8, 9, 10, 15, 20, 100000]);
    expect(s.get(11)).toBeUndefined();
    expect(s.delete(15)).toBe(true);
    expect(s.size).toBe(9);
    // Two keys a billion apart: no billion-slot array (the keys still go where set() puts them).
    const far = new KeyedStore<{ n: unknown }>();
    far.reserve(1, 1e9, 2);
    far.set(1, o(1));
    far.set(1e9, o(1e9));
    expect([...far.values()].map((v) => v.n)).toEqual([1, 1e9]);
    expect((far as unknown as { byInt: unknown[] }).byInt.length).toBeLessThan(1000);
  });

  it("reserveFor() sizes the array from the keys to come, and leaves non-integer or few keys alone", () => {
    const rows = Array.from({ length: 100 }, (_, i) => ["x", 1000 + ((i * 37) % 100)]);
    const s = new KeyedStore<{ n: unknown }>();
    s.reserveFor(rows.length, (i) => rows[i][1]);
    expect((s as unknown as { byInt: unknown[] }).byInt.length).toBe(100);
    for (const r of rows) s.set(r[1], o(r[1] as number));
    expect((s as unknown as { byInt: unknown[] }).byInt.length).toBe(100);
    expect([...s.values()].map((v) => v.n)).toEqual(Array.from({ length: 100 }, (_, i) => 1000 + i));
    const strings = new KeyedStore<{ n: unknown }>();
    strings.reserveFor(rows.length, (i) => String(rows[i][1]));
    expect((strings as unknown as { byInt: unknown[] }).byInt.length).toBe(0);
    const few = new KeyedStore<{ n: unknown }>();
    few.reserveFor(10, (i) => rows[i][1]);
    expect((few as unknown as { byInt: unknown[] }).byInt.length).toBe(0);
  });

  it("integer keys set in random order end up mostly in the array once they fill a quarter of its range", () => {
    const s = new KeyedStore<{ n: unknown }>();
    const keys = Array.from({ length: 5000 }, (_, i) => i + 1);
    for (let i = keys.length - 1; i > 0; i--) {
      const j = (i * 7919) % (i + 1);
      [keys[i], keys[j]] = [keys[j], keys[i]];
    }
    for (const k of keys) s.set(k, o(k));
    s.set("x", o("x"));
    expect(s.size).toBe(5001);
    const internals = s as unknown as { byInt: unknown[]; intsInOther: number };
    // Keys that came while they were too sparse stay in the Map; later ones go to the array (was: ~90% in the Map).
    expect(internals.intsInOther).toBeLessThan(1000);
    expect(internals.byInt.length).toBeLessThan(6000);
    for (const k of [1, 777, 5000]) expect(s.get(k)).toEqual(o(k));
    expect([...s.values()].map((v) => v.n)).toEqual([...keys.sort((a, b) => a - b), "x"]);
    expect(s.delete(777)).toBe(true);
    expect(s.get(777)).toBeUndefined();
    expect(s.size).toBe(5000);
    // Far keys beyond a quarter's density still go to the Map.
    s.set(10_000_000, o(10_000_000));
    expect(s.get(10_000_000)).toEqual(o(10_000_000));
  });

  it("integer keys held in the Map come out ascending, few (sorted in place) or many", () => {
    for (const count of [5, 40]) {
      const s = new KeyedStore<{ n: unknown }>();
      // Far apart (each beyond the array's reach), in a scrambled order.
      const keys = Array.from({ length: count }, (_, i) => ((i * 7919) % count) * 100000 + 1);
      for (const k of keys) s.set(k, o(k));
      expect([...s.values()].map((v) => v.n)).toEqual([...keys].sort((a, b) => a - b));
    }
  });
});
