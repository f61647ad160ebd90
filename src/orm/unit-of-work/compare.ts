import type { InstanceState } from "../state.js";

/**
 * Whether an attribute's current value differs from the value last written: how a flush finds changed columns
 * without intercepting writes (dates, bytes and JSON documents are compared by value, so in-place changes count).
 */
export function valuesDiffer(current: unknown, committed: unknown): boolean {
  if (current === committed) return false;
  if (current === undefined) return false; // never set since load: nothing to write
  if (current === null || committed === null || committed === undefined) return true;
  if (typeof current !== "object") return true;
  if (current instanceof Date) return !(committed instanceof Date) || current.getTime() !== committed.getTime();
  if (current instanceof Uint8Array) return !(committed instanceof Uint8Array) || !bytesEqual(current, committed);
  return !deepEqual(current, committed);
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** True when a persistent object's columns differ from what was last loaded or flushed. */
export function isModified(s: InstanceState): boolean {
  // Read in place: a scan of the Session must not copy every flushed object's values out of the flush's shared array.
  const c = s.committedBase();
  if (c === null || s.status !== "persistent") return false;
  return s.mapper.access.changed(s.obj, c, s.committedOffset());
}
