/**
 * Rows to objects, through the identity map: a row whose object is already in the Session returns that object
 * (its unflushed changes are kept), otherwise a new persistent object is made.
 */
import type { Dialect } from "../../dialects/base/dialect.js";
import type { SelectableNode } from "../../sql/ast/nodes.js";
import type { Select } from "../../sql/ast/select.js";
import type { KeyedStore } from "../keyed-store.js";
import type { Mapper } from "../mapper.js";
import type { IdentityMap } from "../session/identity-map.js";
import type { StateOwner } from "../state.js";

/** What loading needs from the Session. */
export interface LoadHost {
  readonly identityMap: IdentityMap;
  readonly dialect: Dialect;
  readonly owner: StateOwner;
  /** Overwrite objects already in the identity map with the row's values. */
  readonly populateExisting: boolean;
  /** Runs a SELECT on the Session's connection (no autoflush), with execute-time parameters, and returns converted rows. */
  run(stmt: Select<any, any>, params?: Readonly<Record<string, unknown>>): unknown[][] | Promise<unknown[][]>;
  /** Runs any statement (fromStatement) and returns its rows and column names. */
  runStatement(node: SelectableNode, params?: Readonly<Record<string, unknown>>): Promise<{ rows: unknown[][]; keys: readonly (string | null)[] }>;
}

/** The object for the row's columns of `mapper` starting at `offset` (null when its key is NULL: an outer join miss). */
export function hydrate(host: LoadHost, mapper: Mapper, row: readonly unknown[], offset: number): object | null {
  const key = mapper.identityFromRow(row, offset);
  if (key === null) return null;
  const map = host.identityMap.of(mapper);
  const existing = map.get(key);
  if (existing !== undefined) {
    if (existing.expired !== null || host.populateExisting) mapper.refreshExpired(existing, row, offset, host.populateExisting);
    return existing.obj;
  }
  const s = mapper.instantiate(row, offset);
  s.session = host.owner;
  s.key = key;
  map.set(key, s);
  return s.obj;
}

/** Sizes the identity map's store for the integer keys of rows about to be hydrated (see KeyedStore.reserveFor). */
export function reserveIdentities(host: LoadHost, mapper: Mapper, rows: readonly (readonly unknown[])[], offset: number): void {
  if (mapper.pkIndexes.length === 1) reserveForColumn(host.identityMap.of(mapper), rows, offset + mapper.pkIndexes[0]);
}

/** Sizes `store` for the integer keys in column `column` of `rows`. */
export function reserveForColumn(store: KeyedStore<object>, rows: readonly (readonly unknown[])[], column: number): void {
  store.reserveFor(rows.length, (i) => rows[i][column]);
}
