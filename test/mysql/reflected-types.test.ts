/**
 * Reading information_schema back into Crucible's terms: column types, defaults as SQL, CHECK text. Needs no server.
 */
import { mysqlTypeFromColumnType, parseServerVersion } from "crucible/mysql";
import { describe, expect, it } from "vitest";
import { defaultSql, stripOuterParens } from "../../src/dialects/mysql/introspector.js";
import { enumValues } from "../../src/dialects/mysql/reflected-types.js";

const kindOf = (columnType: string, jsonChecked = false) => {
  const t = mysqlTypeFromColumnType(columnType, jsonChecked);
  return { kind: t.kind, ...t.options };
};

describe("mysqlTypeFromColumnType", () => {
  it("maps integer, boolean and decimal types", () => {
    expect(kindOf("tinyint(1)")).toEqual({ kind: "boolean" });
    expect(kindOf("tinyint(4)")).toEqual({ kind: "smallinteger" });
    expect(kindOf("int(10) unsigned")).toEqual({ kind: "integer" });
    expect(kindOf("bigint(20)")).toEqual({ kind: "biginteger" });
    expect(kindOf("bigint unsigned zerofill")).toEqual({ kind: "biginteger" });
    expect(kindOf("decimal(10,2)")).toEqual({ kind: "numeric", precision: 10, scale: 2 });
    expect(kindOf("double")).toEqual({ kind: "double" });
    expect(kindOf("bit(1)")).toEqual({ kind: "boolean" });
  });
  it("maps strings, UUIDs, JSON and enums", () => {
    expect(kindOf("varchar(20)")).toEqual({ kind: "string", length: 20 });
    expect(kindOf("char(36)")).toEqual({ kind: "uuid" });
    expect(kindOf("char(2)")).toEqual({ kind: "string", length: 2 });
    expect(kindOf("mediumtext")).toEqual({ kind: "text" });
    expect(kindOf("longtext")).toEqual({ kind: "text" });
    expect(kindOf("longtext", true)).toEqual({ kind: "json" });
    expect(kindOf("json")).toEqual({ kind: "json" });
    expect(kindOf("enum('a','it''s')")).toMatchObject({ kind: "enum", values: ["a", "it's"] });
    expect(enumValues("enum('x,y','z\\\\')")).toEqual(["x,y", "z\\"]);
  });
  it("maps dates, times and bytes", () => {
    expect(kindOf("datetime(6)")).toEqual({ kind: "datetime" });
    expect(kindOf("timestamp")).toEqual({ kind: "datetime" });
    expect(kindOf("time(6)")).toEqual({ kind: "time" });
    expect(kindOf("date")).toEqual({ kind: "date" });
    expect(kindOf("varbinary(16)")).toEqual({ kind: "binary" });
  });
});

describe("defaultSql", () => {
  const maria = parseServerVersion("10.11.6-MariaDB");
  const mysql = parseServerVersion("8.0.36");
  it("MariaDB writes SQL already, and NULL for no default", () => {
    expect(defaultSql("'it''s'", "varchar(10)", "", maria)).toBe("'it''s'");
    expect(defaultSql("NULL", "text", "", maria)).toBeNull();
    expect(defaultSql(null, "int(11)", "", maria)).toBeNull();
    expect(defaultSql("current_timestamp(6)", "datetime(6)", "", maria)).toBe("current_timestamp(6)");
  });
  it("MySQL's bare literals are quoted by type, expressions parenthesized", () => {
    expect(defaultSql("it's", "varchar(10)", "", mysql)).toBe("'it''s'");
    expect(defaultSql("1.50", "decimal(10,2)", "", mysql)).toBe("1.50");
    expect(defaultSql("CURRENT_TIMESTAMP(6)", "datetime(6)", "DEFAULT_GENERATED", mysql)).toBe("CURRENT_TIMESTAMP(6)");
    expect(defaultSql("rand()", "double", "DEFAULT_GENERATED", mysql)).toBe("(rand())");
    expect(defaultSql(null, "varchar(10)", "", mysql)).toBeNull();
  });
});

describe("stripOuterParens", () => {
  it("removes only parentheses around the whole text", () => {
    expect(stripOuterParens("((`n` > 0))")).toBe("`n` > 0");
    expect(stripOuterParens("(a > 0) and (b > 0)")).toBe("(a > 0) and (b > 0)");
  });
});
