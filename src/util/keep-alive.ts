/**
 * Keeps objects reachable so that the hidden classes of hot code survive full garbage collections.
 *
 * V8 deoptimizes optimized code when a hidden class (map) it embeds dies in a full garbage collection. A loop that
 * makes and drops objects (a Session per request, a Result per query) may have no instance of a class alive at that
 * moment, and then runs unoptimized until V8 optimizes it again. One retained instance per class keeps the map alive.
 * This holds for object literals and for the fields a class adds in its constructor too: their hidden classes are
 * transitions, which V8 keeps only while an object has them (the statement cache key's writer lost its optimized code
 * at every full GC until it was kept here).
 *
 * What is kept is small and bounded: one object per slot, 16 statements and expressions (with the values bound in
 * them, so a huge IN list stays reachable until 16 newer statements are built), 16 mappers, and empty objects made
 * once per module. A kept object may reach its Session until a newer one takes the slot. The latest disposed Engine
 * is kept with its dialect, compiled statements and options, but not its pool; the latest closed SQLite handle holds
 * no database resources.
 *
 * ```ts
 * class Thing { constructor() { keepAlive(KEEP.thing, this); } }
 * ```
 */

/**
 * A packed array of `n` nulls. The slots below are packed arrays written only within bounds: a store into a holey
 * array, or past the end, makes optimized code depend on the array prototypes' hidden classes, and those change
 * whenever a program sets an array's prototype (InstrumentedList does), which would deoptimize every constructor
 * that keeps its instances here.
 */
function nulls(n: number): (object | null)[] {
  const a: (object | null)[] = [];
  for (let i = 0; i < n; i++) a.push(null);
  return a;
}

/** Slots of the classes that use keepAlive. */
export const KEEP = {
  session: 0,
  connection: 1,
  state: 2,
  identityMap: 3,
  select: 4,
  element: 5,
  sessionTransaction: 6,
  list: 7,
  emptyList: 8,
  keyWriter: 9,
  statementKey: 10,
  runInfo: 11,
  engine: 12,
  sqliteHandle: 13,
} as const;

const kept = nulls(Object.keys(KEEP).length);

const shapes: object[] = [];

/**
 * Keeps an object reachable for good: a module makes one empty object of a shape it makes and drops on a hot path
 * (a driver result, a flush's working state), so that shape's hidden class never dies. For shapes whose real
 * instances hold large data, this keeps the class alive without keeping the data.
 *
 * ```ts
 * const result = (rows: unknown[]) => ({ rows });
 * keepShape(result([]));
 * ```
 */
export function keepShape(instance: object): void {
  shapes.push(instance);
}

/** A fixed ring of the latest objects given: each new one takes the oldest one's place (in bounds, packed). */
interface Ring {
  readonly items: (object | null)[];
  next: number;
}
function ring(size: number): Ring {
  return { items: nulls(size), next: 0 };
}
function put(r: Ring, instance: object): void {
  r.items[r.next] = instance;
  r.next = (r.next + 1) % r.items.length;
}

/** How many of the latest statements and expressions keepSeveral() holds per slot. */
const SEVERAL = 16;
const several = Object.keys(KEEP).map(() => ring(SEVERAL));

/**
 * Like keepAlive(), for classes whose instances come in many shapes (a Select with or without a WHERE, options, a
 * join): the latest SEVERAL instances stay reachable, so the hidden classes of the shapes in use survive a full GC.
 *
 * ```ts
 * class Stmt { constructor() { keepSeveral(KEEP.select, this); } }
 * ```
 */
export function keepSeveral(slot: number, instance: object): void {
  put(several[slot], instance);
}

/**
 * Keeps the latest instance given for a slot reachable (one per class that uses it).
 *
 * ```ts
 * keepAlive(KEEP.session, this);
 * ```
 */
export function keepAlive(slot: number, instance: object): void {
  kept[slot] = instance;
}

/** How many of the latest model classes keepRecent() holds. */
const RECENT = 16;
const recent = ring(RECENT);

/**
 * Keeps the latest RECENT objects given here reachable (each once). The ORM gives it each mapper when its first
 * object is made, so the hidden classes of recently used model classes outlive the classes themselves. Code that
 * handles objects of many model classes then stays optimized for all of them (V8 stops tracking them one by one
 * after four); without this, a program that declares models again and again (a test suite, a benchmark harness)
 * sees the code deoptimized each time an earlier class dies, and waits while it is compiled again.
 *
 * ```ts
 * keepRecent(mapper);
 * ```
 */
export function keepRecent(instance: object): void {
  if (!recent.items.includes(instance)) put(recent, instance);
}
