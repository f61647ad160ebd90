/**
 * Client-side interpolation (sql-format.ts): placeholders outside quotes and comments, exact escaping.
 */
import { ArgumentError } from "crucible";
import { ExactNumber, formatQuery } from "crucible/mysql";
import { describe, expect, it } from "vitest";
import { escapeValue, quoteString, splitPlaceholders } from "../../src/dialects/mysql/sql-format.js";

describe("splitPlaceholders", () => {
  it("skips ? inside strings, quoted names and comments", () => {
    expect(splitPlaceholders("SELECT '?', \"?\", `a?`, ? -- ?\n, ? # ?\n /* ? */ FROM t WHERE x = ?", false)).toEqual([
      "SELECT '?', \"?\", `a?`, ",
      " -- ?\n, ",
      " # ?\n /* ? */ FROM t WHERE x = ",
      "",
    ]);
  });
  it("knows backslash escapes inside strings unless NO_BACKSLASH_ESCAPES", () => {
    expect(splitPlaceholders("SELECT 'a\\'?', ?", false)).toEqual(["SELECT 'a\\'?', ", ""]);
    expect(splitPlaceholders("SELECT 'a\\', ?", true)).toEqual(["SELECT 'a\\', ", ""]);
    expect(splitPlaceholders("SELECT 'it''s ?', ?", false)).toEqual(["SELECT 'it''s ?', ", ""]);
  });
  it("`--` starts a comment only when followed by a space", () => {
    expect(splitPlaceholders("SELECT 1--?", false)).toEqual(["SELECT 1--", ""]);
  });
});

describe("escapeValue", () => {
  it("writes numbers, bigints and exact decimals unquoted", () => {
    expect(escapeValue(42, false)).toBe("42");
    expect(escapeValue(-1.5, false)).toBe("-1.5");
    expect(escapeValue(-9223372036854775808n, false)).toBe("-9223372036854775808");
    expect(escapeValue(new ExactNumber("123456789012345678901234567890.123"), false)).toBe("123456789012345678901234567890.123");
    expect(() => escapeValue(Number.NaN, false)).toThrow(ArgumentError);
    expect(() => new ExactNumber("1; DROP TABLE t")).toThrow(ArgumentError);
  });
  it("quotes strings with backslash escapes, or doubled quotes under NO_BACKSLASH_ESCAPES", () => {
    expect(quoteString("it's a \\ \n \0 \x1a", false)).toBe("'it\\'s a \\\\ \\n \\0 \\Z'");
    expect(quoteString("it's a \\", true)).toBe("'it''s a \\'");
  });
  it("writes booleans, NULL, bytes, dates (UTC) and JSON", () => {
    expect(escapeValue(true, false)).toBe("TRUE");
    expect(escapeValue(null, false)).toBe("NULL");
    expect(escapeValue(undefined, false)).toBe("NULL");
    expect(escapeValue(new Uint8Array([0, 255, 16]), false)).toBe("X'00ff10'");
    expect(escapeValue(new Date(Date.UTC(2024, 1, 29, 23, 59, 58, 7)), false)).toBe("'2024-02-29 23:59:58.007'");
    expect(escapeValue({ a: "it's" }, false)).toBe(`'{"a":"it\\'s"}'`);
  });
});

describe("formatQuery", () => {
  it("replaces each placeholder once, in order", () => {
    expect(formatQuery("SELECT * FROM t WHERE a = ? AND b IN (?, ?) AND c = '?'", [1, "x", null], false)).toBe(
      "SELECT * FROM t WHERE a = 1 AND b IN ('x', NULL) AND c = '?'",
    );
    expect(formatQuery("SELECT '?'", [], false)).toBe("SELECT '?'");
  });
  it("refuses a parameter count that does not match", () => {
    expect(() => formatQuery("SELECT ?", [1, 2], false)).toThrow(/1 placeholders but 2 parameters/);
  });
});
