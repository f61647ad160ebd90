// A multi-row INSERT made by repeating a compiled single row's VALUES group must be exactly what compiling every row
// gives, on every dialect (the flush uses it for its batches).
import { ArrayOf, BigInteger, column, Enum, Integer, JSON, MetaData, Table, Text, Uuid, Varchar } from "crucible";
import { MysqlDialect } from "crucible/mysql";
import { PostgresDialect } from "crucible/postgresql";
import { SqliteDialect } from "crucible/sqlite";
import { describe, expect, it } from "vitest";
import type { Dialect } from "../../src/dialects/base/dialect.js";
import { compilePositional, insertStatement } from "../../src/orm/unit-of-work/persister.js";
import type { BindNode, ExprNode } from "../../src/sql/ast/nodes.js";
import { repeatInsertRows } from "../../src/sql/compiler/insert-many.js";
import type { Column } from "../../src/sql/schema/column.js";
import type { SqlType } from "../../src/sql/types/sql-type.js";

const metadata = new MetaData();
const t = Table("thing", metadata, {
  id: column(BigInteger, { primaryKey: true }),
  name: column(Varchar(20)),
  body: column(Text),
  doc: column(JSON<{ a: number }>()),
  kind: column(Enum(["a", "b"])),
  ref: column(Uuid),
  n: column(Integer),
});
const pgOnly = Table("pg_thing", metadata, { id: column(Integer, { primaryKey: true }), tags: column(ArrayOf(Varchar(10))), doc: column(JSON()) });

const dialects: [string, Dialect][] = [
  ["sqlite", new SqliteDialect() as unknown as Dialect],
  ["postgresql", new PostgresDialect() as unknown as Dialect],
  ["mysql 8", new MysqlDialect({ serverVersion: "8.0.36" }) as unknown as Dialect],
  ["mariadb", new MysqlDialect({ serverVersion: "10.11.6-MariaDB" }) as unknown as Dialect],
];

/** The INSERT of `rows` rows compiled through the AST, every row visited (what insertStatement avoids). */
function compiledRowByRow(dialect: Dialect, table: typeof t | typeof pgOnly, given: Column<unknown>[], rows: number, returning: Column<unknown>[]) {
  const binds: BindNode[] = [];
  const valueRows: ExprNode[][] = [];
  for (let r = 0; r < rows; r++) {
    const row = given.map((c): BindNode => ({ kind: "bind", value: null, type: c.type as SqlType<unknown>, key: null, expanding: false }));
    binds.push(...row);
    valueRows.push(row);
  }
  const node = {
    kind: "insert",
    table,
    columns: given.map((c) => c.node),
    rows: valueRows,
    select: null,
    returning: returning.map((c) => c.node),
    onConflict: null,
  };
  return compilePositional(dialect, node as never, binds);
}

const cols = (table: typeof t | typeof pgOnly, keys: string[]) => keys.map((k) => table.c[k as never] as unknown as Column<unknown>);

describe("repeatInsertRows", () => {
  for (const [name, dialect] of dialects) {
    it(`gives the SQL and parameters of compiling every row (${name})`, () => {
      const shapes: [typeof t | typeof pgOnly, string[], string[]][] = [
        [t, ["name"], []],
        [t, ["name", "body", "doc", "kind", "ref", "n"], []],
        [t, ["id", "name"], []],
        [t, ["name", "n"], dialect.capabilities.insertReturning ? ["id"] : []],
        [t, ["name"], dialect.capabilities.insertReturning ? ["id", "n"] : []],
      ];
      if (name === "postgresql") shapes.push([pgOnly, ["tags", "doc"], ["id"]]);
      for (const [table, given, returning] of shapes)
        for (const rows of [2, 3, 1000]) {
          const made = insertStatement(dialect, table, cols(table, given), rows, cols(table, returning)).compiled;
          const full = compiledRowByRow(dialect, table, cols(table, given), rows, cols(table, returning));
          expect(made.sql).toBe(full.sql);
          expect(made.parts).toEqual(full.parts);
          expect(made.params.map((p) => [p.index, p.process, p.type])).toEqual(full.params.map((p) => [p.index, p.process, p.type]));
          expect(made.resultColumns).toEqual(full.resultColumns);
          expect(made.insertedKey).toEqual(full.insertedKey);
        }
      // The fast path applies to these statements (one row's VALUES repeated, no AST walk per row).
      const one = insertStatement(dialect, t, cols(t, ["name", "n"]), 1, []).compiled;
      expect(repeatInsertRows(one, 3, dialect)?.params).toHaveLength(6);
      // The SQL is made at once; the parts and the 2,000 ParamRefs of a 1,000-row batch only when read.
      const batch = repeatInsertRows(one, 1000, dialect) as object;
      expect(Object.getOwnPropertyDescriptor(batch, "params")?.get).toBeTypeOf("function");
      expect(Object.getOwnPropertyDescriptor(batch, "parts")?.get).toBeTypeOf("function");
      const { params } = batch as { params: unknown[] };
      expect(params).toHaveLength(2000);
      expect(Object.getOwnPropertyDescriptor(batch, "params")?.value).toBe(params);
    });
  }

  it("leaves statements that are not a plain VALUES insert to the compiler", () => {
    const dialect = dialects[0][1];
    const one = insertStatement(dialect, t, cols(t, ["name"]), 1, []).compiled;
    expect(repeatInsertRows(one, 1, dialect)).toBe(one);
    expect(repeatInsertRows({ ...one, kind: "update" }, 5, dialect)).toBeNull();
    expect(repeatInsertRows({ ...one, params: [{ ...one.params[0], index: 3 }] }, 5, dialect)).toBeNull();
    expect(repeatInsertRows({ ...one, parts: ["INSERT INTO thing DEFAULT VALUES", ""] }, 5, dialect)).toBeNull();
  });
});
