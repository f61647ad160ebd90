/**
 * Declarative mapping: `declarativeBase()` and `Base.model(table, shape, options)`, typed end to end with the technique
 * proven in shared/prototypes/model-typing (relationship targets are naked thunks, unwrapped lazily).
 */
import { ENTITY, type EntityInfo, type EntityLike } from "../sql/ast/entity.js";
import type { Column, ColumnDef } from "../sql/schema/column.js";
import type { Index, TableConstraint } from "../sql/schema/constraints.js";
import { MetaData, type NamingConvention } from "../sql/schema/metadata.js";
import { type ColumnDefs, Table, type TableObject } from "../sql/schema/table.js";
import { ArgumentError } from "../util/errors.js";
import { snakeCase } from "../util/naming.js";
import { getRelationship, setRelationship } from "./attributes.js";
import { Mapper } from "./mapper.js";
import { ModelBase } from "./model-base.js";
import { attachMapper, Registry } from "./registry.js";
import type { RelationshipDef } from "./relationship.js";
import { RelationshipAttribute } from "./relationship-attribute.js";

type AnyDef = ColumnDef<any, boolean> | RelationshipDef<any, boolean, boolean>;
/**
 * The attributes of a model: columns and relationships.
 *
 * ```ts
 * const shape = { id: column(Integer, { primaryKey: true }), name: column(String(30)) } satisfies Shape;
 * ```
 */
export type Shape = { readonly [key: string]: AnyDef };

type Inst<C> = C extends abstract new (...args: any) => infer I ? I : never;
type AttrType<D> =
  D extends ColumnDef<infer T, any>
    ? T
    : D extends RelationshipDef<() => infer C, infer M, infer N>
      ? M extends true
        ? Inst<C>[]
        : N extends true
          ? Inst<C> | null
          : Inst<C>
      : never;
type RelTarget<D> = D extends RelationshipDef<() => infer C, any, any> ? Inst<C> : never;
type RelMany<D> = D extends RelationshipDef<any, infer M, any> ? M : never;
type ColumnKeys<S> = { [K in keyof S]: S[K] extends ColumnDef<any, any> ? K : never }[keyof S];
type RelKeys<S> = { [K in keyof S]: S[K] extends RelationshipDef<any, any, any> ? K : never }[keyof S];
type OptionalInitKeys<S> = {
  [K in keyof S]: S[K] extends ColumnDef<any, true> ? K : S[K] extends RelationshipDef<any, any, any> ? K : never;
}[keyof S];
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/**
 * The instance attributes of a model with shape S.
 *
 * ```ts
 * type UserFields = InstanceOf<{ id: ColumnDef<number, true> }>; // { id: number }
 * ```
 */
export type InstanceOf<S> = { -readonly [K in keyof S]: AttrType<S[K]> };
/**
 * The constructor's init object: required columns must be given; keys of the shape keep go-to-definition.
 *
 * ```ts
 * const init: ConstructorParameters<typeof Address>[0] = { emailAddress: "x@example.com" };
 * ```
 */
export type InitOf<S> = Simplify<
  { -readonly [K in keyof S as K extends OptionalInitKeys<S> ? never : K]: AttrType<S[K]> } & {
    -readonly [K in keyof S as K extends OptionalInitKeys<S> ? K : never]?: AttrType<S[K]>;
  }
>;
/**
 * Typed columns of a model: `User.c.name`.
 *
 * ```ts
 * select(User).where(User.c.name.eq("sandy"));
 * ```
 */
export type Columns<S> = { readonly [K in ColumnKeys<S> & string]: Column<AttrType<S[K]>, K> };
/**
 * Typed relationship attributes of a model: `User.addresses`.
 *
 * ```ts
 * select(User).options(selectinload(User.addresses));
 * ```
 */
export type RelationshipAttributes<S> = { readonly [K in RelKeys<S> & string]: RelationshipAttribute<RelTarget<S[K]>, RelMany<S[K]>> };
/** Own properties of every function: a static attribute with one of these names is shadowed, so use `User.c.<name>`. */
type FunctionOwnProps = "name" | "length" | "prototype" | "caller" | "arguments";

/**
 * The class `Base.model()` returns: constructible with the init object, with `.c`, `__table__` and the attributes.
 *
 * ```ts
 * class User extends Base.model("user_account", { id: column(Integer, { primaryKey: true }) }) {}
 * ```
 */
export type ModelClass<S extends Shape> = {
  new (...init: {} extends InitOf<S> ? [init?: InitOf<S>] : [init: InitOf<S>]): InstanceOf<S> & ModelBase;
  /** All columns (SQLAlchemy's `__table__.c`). */
  readonly c: Columns<S>;
  /** The Table the model is mapped to. */
  readonly __table__: TableObject;
} & EntityLike &
  Omit<Columns<S> & RelationshipAttributes<S>, FunctionOwnProps>;

/**
 * Options of `Base.model()`: table-level indexes and constraints, schema and comment.
 *
 * ```ts
 * Base.model("user_account", { ... }, { indexes: [Index("ix_user_name", "name")], constraints: [UniqueConstraint("name")] });
 * ```
 */
export interface ModelOptions {
  readonly indexes?: readonly Index[];
  readonly constraints?: readonly TableConstraint[];
  readonly schema?: string;
  readonly comment?: string;
}

/**
 * Options of `declarativeBase()`.
 *
 * ```ts
 * const Base = declarativeBase({ columnNaming: "preserve", namingConvention: { uq: "uq_%(table_name)s_%(column_0_name)s" } });
 * ```
 */
export interface DeclarativeOptions {
  readonly metadata?: MetaData;
  readonly namingConvention?: NamingConvention;
  /** How attribute names become column names: `"snake_case"` (default: `emailAddress` → `email_address`), `"preserve"`, or a function. */
  readonly columnNaming?: "snake_case" | "preserve" | ((attribute: string) => string);
}

/**
 * What `declarativeBase()` returns: the MetaData of the models and `model()`.
 *
 * ```ts
 * const Base: DeclarativeBase = declarativeBase();
 * await Base.metadata.createAll(engine);
 * ```
 */
export interface DeclarativeBase {
  readonly metadata: MetaData;
  /** @internal */
  readonly registry: Registry;
  /**
   * Declares a mapped class for a table.
   *
   * ```ts
   * class User extends Base.model("user_account", {
   *   id: column(Integer, { primaryKey: true }),
   *   addresses: relationship.many(() => Address, { backPopulates: "user" }),
   * }) {}
   * ```
   */
  model<const S extends Shape>(table: string, shape: S, options?: ModelOptions): ModelClass<S>;
}

const RESERVED_STATIC = new Set(["name", "length", "prototype", "caller", "arguments", "c", "__table__"]);

function pascalCase(name: string): string {
  return name.replace(/(^|[_\s-]+)(\w)/g, (_, __, ch: string) => ch.toUpperCase());
}

/**
 * Starts a set of mapped classes sharing one MetaData.
 *
 * ```ts
 * export const Base = declarativeBase();
 * await Base.metadata.createAll(engine);
 * ```
 */
export function declarativeBase(options: DeclarativeOptions = {}): DeclarativeBase {
  const metadata = options.metadata ?? new MetaData({ namingConvention: options.namingConvention });
  const registry = new Registry();
  const naming = options.columnNaming ?? "snake_case";
  const columnName = naming === "snake_case" ? snakeCase : naming === "preserve" ? (k: string) => k : naming;

  function model<const S extends Shape>(tableName: string, shape: S, modelOptions: ModelOptions = {}): ModelClass<S> {
    const columnDefs: Record<string, ColumnDef<unknown>> = {};
    const relDefs: [string, RelationshipDef<unknown, boolean, boolean>][] = [];
    for (const [key, def] of Object.entries(shape)) {
      if (def?.kind === "column-def") columnDefs[key] = def as ColumnDef<unknown>;
      else if (def?.kind === "relationship") relDefs.push([key, def as RelationshipDef<unknown, boolean, boolean>]);
      else throw new ArgumentError(`${tableName}.${key}: expected column(...) or relationship.many/one(...), got ${String(def)}`);
    }
    const table = Table(
      tableName,
      metadata,
      columnDefs as ColumnDefs,
      { columnName, schema: modelOptions.schema, comment: modelOptions.comment },
      ...(modelOptions.constraints ?? []),
      ...(modelOptions.indexes ?? []),
    );
    let mapper!: Mapper;

    class Mapped extends ModelBase {
      constructor(init?: unknown) {
        mapper.adoptClass(new.target as never);
        mapper.ensureConfigured();
        // Made before the object, handed to ModelBase's constructor for its private slot (see handOver()).
        const state = mapper.newState();
        super();
        mapper.populateNew(this, state);
        if (init !== undefined && init !== null) applyInit(mapper, this, init);
      }

      static get [ENTITY](): EntityInfo {
        mapper.adoptClass(this as never);
        mapper.ensureConfigured();
        return mapper.entityInfo;
      }
    }
    Object.defineProperty(Mapped, "name", { value: pascalCase(tableName) });
    mapper = new Mapper(registry, Mapped, table, relDefs);
    attachMapper(Mapped, mapper);
    registry.add(mapper);

    Object.defineProperty(Mapped, "c", { value: table.c, enumerable: false });
    Object.defineProperty(Mapped, "__table__", { value: table, enumerable: false });
    const entityFrom = { mapper, from: table };
    for (const col of table.columns)
      if (!RESERVED_STATIC.has(col.key)) Object.defineProperty(Mapped, col.key, { value: col, enumerable: false, configurable: true });
    mapper.relationships.forEach((rel) => {
      if (!RESERVED_STATIC.has(rel.key))
        Object.defineProperty(Mapped, rel.key, { value: new RelationshipAttribute(entityFrom, rel.key), enumerable: false, configurable: true });
      Object.defineProperty(Mapped.prototype, rel.key, {
        get(this: object) {
          return getRelationship(this, mapper.ensureConfigured().relationships[rel.index]);
        },
        set(this: object, value: unknown) {
          setRelationship(this, mapper.ensureConfigured().relationships[rel.index], value);
        },
        enumerable: false,
        configurable: true,
      });
    });
    return Mapped as unknown as ModelClass<S>;
  }

  return { metadata, registry, model };
}

function applyInit(mapper: Mapper, obj: object, init: unknown): void {
  if (typeof init !== "object" || Array.isArray(init))
    throw new ArgumentError(`new ${mapper.name}(init): init must be an object of attribute values, got ${JSON.stringify(init)}`);
  const o = obj as Record<string, unknown>;
  const values = init as Record<string, unknown>;
  for (const key in values) {
    const value = values[key];
    if (value === undefined) continue;
    if (mapper.columnIndex.has(key) || mapper.relationshipsByKey.has(key)) o[key] = value;
    else
      throw new ArgumentError(
        `${mapper.name} has no attribute "${key}"; its attributes are ${[...mapper.columnKeys, ...mapper.relationshipsByKey.keys()].join(", ")}`,
      );
  }
}
