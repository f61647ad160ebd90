/**
 * Keeps the latest instance of a hot class reachable.
 *
 * V8 deoptimizes optimized code when a hidden class (map) it embeds dies in a full garbage collection. A loop that
 * makes and drops objects (a Session per request, a Result per query) may have no instance of a class alive at that
 * moment, and then runs unoptimized until V8 optimizes it again. One retained instance per class keeps the map alive.
 *
 * ```ts
 * class Thing { constructor() { keepAlive(KEEP.thing, this); } }
 * ```
 */
const kept: object[] = [];

/** Slots of the classes that use keepAlive. */
export const KEEP = {
  session: 0,
  connection: 1,
  state: 2,
  identityMap: 3,
  select: 4,
  element: 5,
  result: 6,
  sessionTransaction: 7,
} as const;

export function keepAlive(slot: number, instance: object): void {
  kept[slot] = instance;
}
