// StateList: the Session's pending objects must behave like a Set in insertion order.
import { describe, expect, it } from "vitest";
import type { InstanceState } from "../../src/orm/state.js";
import { StateList } from "../../src/orm/state-list.js";

const state = (n: number) => ({ n, listSlot: -1 }) as unknown as InstanceState & { n: number };

describe("StateList", () => {
  it("adds once, deletes, keeps insertion order through holes and compaction, and clears", () => {
    const list = new StateList();
    const states = Array.from({ length: 100 }, (_, i) => state(i));
    for (const s of states) list.add(s);
    list.add(states[3]); // already there
    expect(list.size).toBe(100);
    for (let i = 0; i < 100; i += 3) expect(list.delete(states[i])).toBe(true);
    expect(list.delete(states[0])).toBe(false);
    expect(list.has(states[0])).toBe(false);
    expect(list.has(states[1])).toBe(true);
    const kept = states.filter((_, i) => i % 3 !== 0);
    expect([...list].map((s) => (s as unknown as { n: number }).n)).toEqual(kept.map((s) => s.n));
    // Deleting most of the rest compacts the array; order and membership survive.
    for (let i = 1; i < 90; i += 3) list.delete(states[i]);
    const rest = states.filter((_, i) => i % 3 === 2 || (i % 3 === 1 && i >= 90));
    const seen: number[] = [];
    list.forEach((s) => {
      seen.push((s as unknown as { n: number }).n);
    });
    expect(seen).toEqual(rest.map((s) => s.n));
    expect(list.size).toBe(rest.length);
    for (const s of rest) expect(list.has(s)).toBe(true);
    // Re-adding a deleted state puts it at the end.
    list.add(states[0]);
    expect([...list].at(-1)).toBe(states[0]);
    list.clear();
    expect(list.size).toBe(0);
    expect(list.has(states[2])).toBe(false);
    expect([...list]).toEqual([]);
    list.add(states[2]);
    expect([...list]).toEqual([states[2]]);
  });

  it("holds states past its first chunk (4,096 slots): order, membership, deletes and compaction", () => {
    const list = new StateList();
    const states = Array.from({ length: 10_000 }, (_, i) => state(i));
    for (const s of states) list.add(s);
    expect(list.size).toBe(10_000);
    expect([...list]).toEqual(states);
    for (const i of [0, 4095, 4096, 4097, 8191, 8192, 9999]) expect(list.has(states[i])).toBe(true);
    // Added while iterating: visited too (the flush's cascades add as they go).
    const extra = state(-1);
    let visited = 0;
    list.forEach((s) => {
      visited++;
      if (s === states[9999]) list.add(extra);
    });
    expect(visited).toBe(10_001);
    // Delete all but every 10th: compaction keeps order across chunks.
    for (let i = 0; i < 10_000; i++) if (i % 10 !== 0) list.delete(states[i]);
    const kept = [...states.filter((_, i) => i % 10 === 0), extra];
    expect(list.size).toBe(kept.length);
    expect([...list]).toEqual(kept);
    for (const s of kept) expect(list.has(s)).toBe(true);
    expect(list.has(states[1])).toBe(false);
  });
});
