/**
 * Reflection: a schema made from MetaData is created, read back with inspect() and metadata.reflect(), and the two
 * agree on types, nullability, defaults, keys, constraints, indexes and comments; the reflected MetaData creates the
 * same tables again.
 */
import {
  ArrayOf,
  BigInteger,
  Boolean,
  CheckConstraint,
  column,
  DateTime,
  type Engine,
  Enum,
  ForeignKey,
  func,
  Index,
  Integer,
  inspect,
  JSON,
  MetaData,
  Numeric,
  select,
  Table,
  Text,
  text,
  UniqueConstraint,
  Uuid,
  Varchar,
} from "crucible";
import { insert } from "crucible/postgresql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engineFor, TARGETS, uniqueName } from "./targets.js";

for (const target of TARGETS) {
  describe.skipIf(!target.available)(`reflection (${target.name})`, () => {
    let engine: Engine;
    const schema = uniqueName("refl");
    const md = new MetaData();
    const parent = Table(
      "parent",
      md,
      {
        id: column(Integer, { primaryKey: true }),
        name: column(Varchar(30), { nullable: false, unique: true, comment: "display name" }),
        kind: column(Enum(["a", "b"], { name: `${schema}_kind` }), { serverDefault: "'a'" }),
      },
      { schema, comment: "the parents" },
    );
    const child = Table(
      "child",
      md,
      {
        id: column(BigInteger, { primaryKey: true }),
        parentId: column(Integer, ForeignKey(`${schema}.parent.id`, { onDelete: "CASCADE", onUpdate: "RESTRICT" }), { name: "parent_id" }),
        qty: column(Numeric(10, 2), { nullable: false, serverDefault: "0" }),
        mood: column(Enum(["happy", "sad"])),
        created: column(DateTime({ timezone: true }), { serverDefault: func.now() }),
        tags: column(ArrayOf(Text)),
        doc: column(JSON()),
        u: column(Uuid),
        flag: column(Boolean, { serverDefault: "false" }),
        code: column(Varchar(10)),
        region: column(Varchar(10)),
      },
      { schema },
      UniqueConstraint("code", "region", { name: "uq_child_code_region" }),
      CheckConstraint("qty >= 0", { name: "ck_child_qty" }),
      Index("ix_child_region_code", "region", "code"),
    );
    Index("ix_child_lower_code", func.lower(child.c.code), { unique: true, where: child.c.flag.eq(true) });

    beforeAll(async () => {
      engine = engineFor(target);
      await engine.execute(text(`CREATE SCHEMA ${schema}`));
      await md.createAll(engine);
    });
    afterAll(async () => {
      // dropAll also drops the enum types, which live outside the schema.
      await md.dropAll(engine);
      await engine.execute(text(`DROP SCHEMA ${schema} CASCADE`));
      await engine.dispose();
    });

    it("inspect() lists tables and reads columns", async () => {
      const insp = inspect(engine);
      expect(await insp.getTableNames(schema)).toEqual(["child", "parent"]);
      expect(await insp.hasTable("child", schema)).toBe(true);
      expect(await insp.hasTable("child")).toBe(false);
      const cols = await insp.getColumns("child", schema);
      expect(cols.map((c) => [c.name, c.rawType, c.nullable, c.default, c.autoincrement])).toEqual([
        ["id", "bigint", false, null, true],
        ["parent_id", "integer", true, null, false],
        ["qty", "numeric(10,2)", false, "0", false],
        ["mood", "child_mood_enum", true, null, false],
        ["created", "timestamp with time zone", true, "now()", false],
        ["tags", "text[]", true, null, false],
        ["doc", "jsonb", true, null, false],
        ["u", "uuid", true, null, false],
        ["flag", "boolean", true, "false", false],
        ["code", "character varying(10)", true, null, false],
        ["region", "character varying(10)", true, null, false],
      ]);
      expect(cols.map((c) => c.type.toString())).toEqual([
        "BIGINT",
        "INTEGER",
        "NUMERIC(10, 2)",
        "ENUM('happy', 'sad')",
        "TIMESTAMP WITH TIME ZONE",
        "TEXT[]",
        "JSON",
        "UUID",
        "BOOLEAN",
        "VARCHAR(10)",
        "VARCHAR(10)",
      ]);
      expect(cols[3].type.options.enumName).toBe("child_mood_enum");
      expect(cols[4].type.options.timezone).toBe(true);
      expect(cols[5].type.options.itemType?.kind).toBe("text");
    });

    it("keys, constraints and indexes", async () => {
      const insp = inspect(engine);
      expect(await insp.getPrimaryKey("child", schema)).toEqual({ name: "child_pkey", columns: ["id"] });
      expect(await insp.getForeignKeys("child", schema)).toEqual([
        {
          name: "child_parent_id_fkey",
          columns: ["parent_id"],
          referredSchema: schema,
          referredTable: "parent",
          referredColumns: ["id"],
          onDelete: "CASCADE",
          onUpdate: "RESTRICT",
        },
      ]);
      expect(await insp.getUniqueConstraints("child", schema)).toEqual([{ name: "uq_child_code_region", columns: ["code", "region"] }]);
      expect(await insp.getUniqueConstraints("parent", schema)).toEqual([{ name: "parent_name_key", columns: ["name"] }]);
      expect(await insp.getCheckConstraints("child", schema)).toEqual([{ name: "ck_child_qty", sqltext: "qty >= 0::numeric" }]);
      expect(await insp.getIndexes("child", schema)).toEqual([
        { name: "ix_child_lower_code", columns: [null], expressions: ["lower(code::text)"], unique: true, where: "flag = true" },
        { name: "ix_child_region_code", columns: ["region", "code"], expressions: [null, null], unique: false, where: null },
      ]);
    });

    it("metadata.reflect() builds equivalent tables that create the same schema again", async () => {
      const reflected = new MetaData();
      const tables = await reflected.reflect(engine, { schema });
      expect(tables.map((t) => t.fullName).sort()).toEqual([`${schema}.child`, `${schema}.parent`]);
      const p = reflected.tables.get(`${schema}.parent`);
      const c = reflected.tables.get(`${schema}.child`);
      if (!p || !c) throw new Error("reflection lost a table");
      expect(p.comment).toBe("the parents");
      expect(p.c.name.comment).toBe("display name");
      expect(p.c.kind.type.options).toMatchObject({ values: ["a", "b"], enumName: `${schema}_kind` });
      for (const original of [parent, child]) {
        const back = reflected.tables.get(original.fullName);
        if (!back) throw new Error(`${original.fullName} missing`);
        for (const col of original.columns) {
          const r = back.column(col.name);
          expect(r.type.toString(), col.name).toBe(col.type.toString());
          expect(r.nullable, col.name).toBe(col.nullable);
          expect(r.primaryKey, col.name).toBe(col.primaryKey);
        }
      }
      expect(c.c.id.autoincrement).toBe(true);
      expect(c.foreignKeys.map((fk) => [fk.columns, fk.refColumns, fk.options.onDelete])).toEqual([[["parent_id"], [`${schema}.parent.id`], "CASCADE"]]);
      expect(c.indexes.map((ix) => ix.name).sort()).toEqual(["ix_child_lower_code", "ix_child_region_code"]);

      // The reflected MetaData, pointed at a second schema, creates tables that reflect the same way.
      const second = `${schema}_2`;
      await engine.execute(text(`CREATE SCHEMA ${second}`));
      try {
        const copy = new MetaData();
        for (const t of [p, c]) {
          const cols = Object.fromEntries(
            t.columns.map((col) => [
              col.key,
              column(col.type, {
                primaryKey: col.primaryKey,
                nullable: col.primaryKey ? undefined : col.nullable,
                serverDefault: col.serverDefault,
                comment: col.comment,
              }),
            ]),
          );
          const fks = t.foreignKeys.map((fk) => ({ ...fk, refColumns: fk.refColumns.map((r) => r.replace(`${schema}.`, `${second}.`)), name: undefined }));
          Table(t.name, copy, cols, { schema: second, comment: t.comment }, ...fks, ...t.uniqueConstraints.map((u) => ({ ...u, name: undefined })));
        }
        await copy.createAll(engine);
        const cols = await inspect(engine).getColumns("child", second);
        const orig = await inspect(engine).getColumns("child", schema);
        expect(cols.map((x) => [x.name, x.rawType, x.nullable, x.default, x.autoincrement])).toEqual(
          orig.map((x) => [x.name, x.rawType, x.nullable, x.default, x.autoincrement]),
        );
        expect((await inspect(engine).getForeignKeys("child", second))[0]).toMatchObject({ referredSchema: second, onDelete: "CASCADE" });
      } finally {
        await engine.execute(text(`DROP SCHEMA ${second} CASCADE`));
      }
    });

    it("reflected tables are queryable", async () => {
      const reflected = new MetaData();
      await reflected.reflect(engine, { schema, only: ["parent"] });
      const p = reflected.tables.get(`${schema}.parent`);
      if (!p) throw new Error("parent missing");
      await engine.execute(insert(p).values({ name: "reflected" } as never));
      expect((await engine.execute(select(p.c.name, p.c.kind))).all().map((r) => [...r])).toEqual([["reflected", "a"]]);
    });
  });
}
