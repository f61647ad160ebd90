/**
 * The base class of every mapped class. Its private field holds the object's ORM state, invisible to spreads,
 * JSON and console output.
 */
import { UnmappedInstanceError } from "../util/errors.js";
import { describeValue } from "../util/show.js";
import { type InstanceState, stateAccess } from "./state.js";

/** Returns the object it is given: lets StateSlot put a private field on an existing object. */
class Given {
  constructor(o: object) {
    // biome-ignore lint/correctness/noConstructorReturn: the point of this class
    return o;
  }
}

/** The state the next ModelBase constructor puts in its slot (see handOver()). */
let handover: InstanceState | undefined;

/**
 * @internal Gives `state` to the ModelBase constructor that runs next: called just before `super()` or
 * `Reflect.construct(ModelBase, ...)`, so the slot is made holding the state (one private-field store per object, not
 * a store of undefined and a second one). The caller sets `state.obj` once the object exists.
 */
export function handOver(state: InstanceState): void {
  handover = state;
}

function takeHandover(): InstanceState | undefined {
  const s = handover;
  handover = undefined;
  return s;
}

/**
 * The private field holding an object's ORM state. It is put on objects made by a constructor (ModelBase) and on
 * objects loaded from rows (made by ModelBase's constructor alone: the model's own constructor does not run, as
 * SQLAlchemy does not run __init__ on load).
 */
class StateSlot extends Given {
  #state: InstanceState | undefined = takeHandover();
  static {
    stateAccess.get = (obj) => (#state in obj ? (obj as StateSlot).#state : undefined);
    stateAccess.known = (obj) => (obj as StateSlot).#state as InstanceState;
    stateAccess.set = (obj, s) => {
      if (#state in obj) (obj as StateSlot).#state = s;
      else new StateSlot(obj).#state = s;
    };
  }
}

/**
 * Base of all mapped classes (made by `Base.model(...)`).
 *
 * ```ts
 * class User extends Base.model("user_account", { id: column(Integer, { primaryKey: true }) }) {}
 * new User() instanceof ModelBase; // true
 * ```
 */
export abstract class ModelBase {
  constructor() {
    new StateSlot(this);
  }

  /** Loaded column values and loaded relationships, for JSON.stringify (relationships already on the path are skipped). */
  toJSON(): Record<string, unknown> {
    return toPlain(this, new Set());
  }
}

function toPlain(obj: ModelBase, path: Set<object>): Record<string, unknown> {
  const state = stateAccess.get(obj);
  if (!state) return { ...obj };
  path.add(obj);
  const out: Record<string, unknown> = {};
  for (const key of state.mapper.columnKeys) out[key] = (obj as unknown as Record<string, unknown>)[key];
  state.mapper.relationships.forEach((rel, i) => {
    if (!state.isLoaded(i)) return;
    const v = state.getRel(i);
    if (Array.isArray(v)) out[rel.key] = v.filter((x) => !path.has(x)).map((x) => toPlain(x as ModelBase, path));
    else if (v === null) out[rel.key] = null;
    else if (!path.has(v as object)) out[rel.key] = toPlain(v as ModelBase, path);
  });
  path.delete(obj);
  return out;
}

/** The ORM state of a mapped object; throws for anything else. */
export function stateOf(obj: unknown): InstanceState {
  const s = maybeStateOf(obj);
  if (!s) throw new UnmappedInstanceError(`${describe(obj)} is not an instance of a mapped class: make it with a class declared with Base.model()`);
  return s;
}

/** The ORM state of an object, or undefined if it is not mapped. */
export function maybeStateOf(obj: unknown): InstanceState | undefined {
  return obj !== null && typeof obj === "object" ? stateAccess.get(obj) : undefined;
}

export function describe(obj: unknown): string {
  const s = obj !== null && typeof obj === "object" ? stateAccess.get(obj) : undefined;
  if (!s) return describeValue(obj);
  const pk = s.mapper.pkKeys.map((k) => `${k}=${String((obj as Record<string, unknown>)[k])}`).join(", ");
  return `${s.mapper.name}(${pk})`;
}
