/**
 * The registry of a declarative base: its mappers, and their configuration (relationship targets, join columns and
 * back-references), done once at first use when every model class exists.
 */
import { ArgumentError } from "../util/errors.js";
import type { Mapper } from "./mapper.js";

const MAPPER = Symbol.for("crucible.mapper");

/** The mapper of a mapped class (or of an object's class), or undefined. */
export function findMapper(cls: unknown): Mapper | undefined {
  if (cls === null || (typeof cls !== "function" && typeof cls !== "object")) return undefined;
  // The generated class carries its mapper as a static property; the user's subclass inherits it.
  const m = (cls as { [MAPPER]?: Mapper })[MAPPER];
  if (m && typeof cls === "function") m.adoptClass(cls as new (...args: any[]) => object);
  return m;
}

/** Attaches a mapper to its generated class. */
export function attachMapper(cls: object, mapper: Mapper): void {
  Object.defineProperty(cls, MAPPER, { value: mapper, enumerable: false });
}

export class Registry {
  readonly mappers: Mapper[] = [];
  private configuring = false;

  add(mapper: Mapper): void {
    this.mappers.push(mapper);
  }

  /** The mapper of a class returned by a relationship thunk. */
  resolve(cls: unknown, where: string): Mapper {
    const m = findMapper(cls);
    if (!m)
      throw new ArgumentError(
        `${where}: its target ${typeof cls === "function" ? `class ${cls.name}` : String(cls)} is not a mapped class; the thunk must return a class made with Base.model()`,
      );
    if (m.registry !== this)
      throw new ArgumentError(`${where}: its target ${m.name} belongs to another declarativeBase(); relationships link models of one Base`);
    return m;
  }

  /** Configures every mapper not configured yet (SQLAlchemy's configure_mappers). */
  configure(): void {
    if (this.configuring) return;
    const pending = this.mappers.filter((m) => !m.configured);
    if (pending.length === 0) return;
    this.configuring = true;
    try {
      for (const m of pending) for (const r of m.relationships) r.configure((cls, where) => this.resolve(cls, where));
      for (const m of pending) for (const r of m.relationships) r.linkBackref();
      for (const m of pending) for (const r of m.relationships) r.checkBackref();
      for (const m of pending) m.configured = true;
    } finally {
      this.configuring = false;
    }
  }
}
