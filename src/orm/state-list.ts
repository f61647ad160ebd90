/**
 * The Session's pending objects: states in the order they were added, held in an array in which each state knows its
 * slot. Filling it with the 30,000 objects of a large `addAll()` costs a fraction of a Set's hashing and tables.
 */
import { keepShape } from "../util/keep-alive.js";
import type { InstanceState } from "./state.js";

/**
 * A set of states in insertion order (the subset of Set's API the Session uses). A state is in at most one list at a
 * time (a pending object belongs to one Session). Removing one leaves a hole; holes are dropped when they outnumber
 * the states.
 *
 * ```ts
 * const pending = new StateList();
 * pending.add(state);
 * pending.forEach((s) => console.log(s.mapper.name));
 * ```
 */
export class StateList {
  private items: (InstanceState | undefined)[] = [];
  /** How many states the list holds. */
  size = 0;

  has(s: InstanceState): boolean {
    const i = s.listSlot;
    return i >= 0 && i < this.items.length && this.items[i] === s;
  }

  add(s: InstanceState): void {
    if (this.has(s)) return;
    s.listSlot = this.items.length;
    this.items.push(s);
    this.size++;
  }

  delete(s: InstanceState): boolean {
    if (!this.has(s)) return false;
    this.items[s.listSlot] = undefined;
    s.listSlot = -1;
    this.size--;
    if (this.items.length > 32 && this.size * 2 < this.items.length) this.compact();
    return true;
  }

  /** Empties the list (the states' slots go stale: has() checks the slot holds the state). */
  clear(): void {
    if (this.items.length > 0) this.items = [];
    this.size = 0;
  }

  /** Calls `fn` with each state, in the order added (an indexed loop: no iterator objects). */
  forEach(fn: (s: InstanceState) => void): void {
    const a = this.items;
    for (let i = 0; i < a.length; i++) {
      const s = a[i];
      if (s !== undefined) fn(s);
    }
  }

  *[Symbol.iterator](): IterableIterator<InstanceState> {
    const a = this.items;
    for (let i = 0; i < a.length; i++) {
      const s = a[i];
      if (s !== undefined) yield s;
    }
  }

  private compact(): void {
    const out: InstanceState[] = [];
    this.forEach((s) => {
      s.listSlot = out.length;
      out.push(s);
    });
    this.items = out;
  }
}
keepShape(new StateList());
