/**
 * The Session's pending objects: states in the order they were added, held in an array in which each state knows its
 * slot. Filling it with the 30,000 objects of a large `addAll()` costs a fraction of a Set's hashing and tables.
 */
import { keepShape } from "../util/keep-alive.js";
import type { InstanceState } from "./state.js";

const CHUNK_BITS = 12;
/** States per chunk (32 KB of slots). */
const CHUNK = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK - 1;

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
  // Slots in chunks of CHUNK states: the first grows as states arrive, the others are made at full size. One growing
  // array for a 30,000-object addAll() copied itself a dozen times (three times its final size in garbage).
  private chunks: (InstanceState | undefined)[][] = [];
  /** Slots used (holes included). */
  private end = 0;
  /** How many states the list holds. */
  size = 0;

  has(s: InstanceState): boolean {
    const i = s.listSlot;
    return i >= 0 && i < this.end && this.at(i) === s;
  }

  add(s: InstanceState): void {
    if (this.has(s)) return;
    const i = this.end++;
    s.listSlot = i;
    this.size++;
    if (i < CHUNK) {
      if (i === 0) this.chunks.push([s]);
      else this.chunks[0].push(s);
    } else if ((i & CHUNK_MASK) === 0) {
      const chunk = new Array<InstanceState | undefined>(CHUNK);
      chunk[0] = s;
      this.chunks.push(chunk);
    } else this.chunks[i >>> CHUNK_BITS][i & CHUNK_MASK] = s;
  }

  delete(s: InstanceState): boolean {
    if (!this.has(s)) return false;
    const i = s.listSlot;
    this.chunks[i >>> CHUNK_BITS][i & CHUNK_MASK] = undefined;
    s.listSlot = -1;
    this.size--;
    if (this.end > 32 && this.size * 2 < this.end) this.compact();
    return true;
  }

  /** Empties the list (the states' slots go stale: has() checks the slot holds the state). */
  clear(): void {
    if (this.end > 0) this.chunks = [];
    this.end = 0;
    this.size = 0;
  }

  /** Slots in use (holes included): with at(), a loop over the list without a callback. */
  get slots(): number {
    return this.end;
  }

  /** The state in slot `i` (< slots), or undefined for a hole. */
  at(i: number): InstanceState | undefined {
    return this.chunks[i >>> CHUNK_BITS][i & CHUNK_MASK];
  }

  /** Calls `fn` with each state, in the order added, including states added meanwhile (an indexed loop). */
  forEach(fn: (s: InstanceState) => void): void {
    for (let i = 0; i < this.end; i++) {
      const s = this.at(i);
      if (s !== undefined) fn(s);
    }
  }

  *[Symbol.iterator](): IterableIterator<InstanceState> {
    for (let i = 0; i < this.end; i++) {
      const s = this.at(i);
      if (s !== undefined) yield s;
    }
  }

  private compact(): void {
    const states: InstanceState[] = [];
    this.forEach((s) => {
      states.push(s);
    });
    this.clear();
    for (let i = 0; i < states.length; i++) this.add(states[i]);
  }
}
keepShape(new StateList());
