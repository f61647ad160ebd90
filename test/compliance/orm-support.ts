/**
 * Support for the ORM compliance tests: models with table names unique to one test (the servers are shared by test
 * files running in parallel), created before and dropped after it, Sessions closed after it, and a log of the SQL
 * with the dialect's spelling normalised so that one expectation fits every dialect:
 *
 * - placeholders `$1`, `$2` (PostgreSQL) become `?`;
 * - identifier quotes (`"` and `` ` ``) are removed;
 * - the test's table-name suffix (`user_account_1a2b3c` → `user_account`) is removed.
 *
 * What still differs between dialects is decided by capability flags (`ret()` below), never by dialect name.
 */
import { randomBytes } from "node:crypto";
import {
  column,
  declarativeBase,
  type Engine,
  type EngineEvent,
  ForeignKey,
  Integer,
  type MetaData,
  relationship,
  Session,
  type SessionOptions,
  String,
} from "crucible";
import { afterEach } from "vitest";
import type { TargetContext } from "./dialects.js";

/** SQL text in a dialect-neutral spelling (see the module comment). */
export function neutralSql(sql: string, suffix: string): string {
  return sql.replace(/\$\d+/g, "?").replace(/["`]/g, "").split(`_${suffix}`).join("");
}

/** Records what an engine sends while a test runs, in neutral spelling. */
export class NeutralLog {
  private readonly events: EngineEvent[] = [];
  readonly off: () => void;
  constructor(
    engine: Engine,
    private readonly suffix: string,
  ) {
    this.off = engine.on((e) => this.events.push(e));
  }
  /** Statements and transaction boundaries since the last take(). */
  take(): string[] {
    return this.events.splice(0).map((e) => neutralSql(e.sql, this.suffix));
  }
  /** The same with each statement's parameters. */
  takeWithParams(): [string, readonly unknown[]][] {
    return this.events.splice(0).map((e): [string, readonly unknown[]] => [neutralSql(e.sql, this.suffix), e.kind === "statement" ? e.params : []]);
  }
  /** Forgets what was recorded. */
  clear(): void {
    this.events.length = 0;
  }
}

export interface OrmDb<M> {
  readonly engine: Engine;
  readonly models: M;
  readonly log: NeutralLog;
  /** The suffix of this test's table names. */
  readonly suffix: string;
  /** A Session on the target, closed after the test (so its locks never outlive it). */
  session(options?: SessionOptions): Session;
  /**
   * What ends an INSERT whose only generated value is the autoincrement key `id`: ` RETURNING id`, or nothing where
   * the dialect reads the keys from the driver (no RETURNING, or `preferInsertedIds`).
   */
  retId(): string;
  /** ` RETURNING <cols>` where the dialect has INSERT ... RETURNING (server defaults to read back), else nothing. */
  ret(cols: string): string;
}

/**
 * Registers the cleanup hooks of a describe block and returns a function that makes a fresh database for one test:
 * `factory(suffix)` declares the models (table names ending in `_${suffix}`), their tables are created now and
 * dropped after the test.
 */
export function ormFixture<M extends { Base: { metadata: MetaData } }>(ctx: TargetContext, factory: (suffix: string) => M): () => Promise<OrmDb<M>> {
  const sessions: Session[] = [];
  const metadatas: MetaData[] = [];
  const logs: NeutralLog[] = [];
  afterEach(async () => {
    for (const s of sessions.splice(0)) await s.close();
    for (const l of logs.splice(0)) l.off();
    for (const md of metadatas.splice(0)) await md.dropAll(ctx.engine);
  });
  return async () => {
    const suffix = randomBytes(3).toString("hex");
    const models = factory(suffix);
    const engine = ctx.engine;
    await models.Base.metadata.createAll(engine);
    metadatas.push(models.Base.metadata);
    const log = new NeutralLog(engine, suffix);
    logs.push(log);
    return {
      engine,
      models,
      log,
      suffix,
      session(options?: SessionOptions) {
        const s = new Session(engine, options);
        sessions.push(s);
        return s;
      },
      retId() {
        const d = engine.dialect;
        return d.capabilities.insertReturning && !d.preferInsertedIds ? " RETURNING id" : "";
      },
      ret(cols: string) {
        return engine.dialect.capabilities.insertReturning ? ` RETURNING ${cols}` : "";
      },
    };
  };
}

/** The tutorial's models (SQLAlchemy Unified Tutorial: User / Address) with suffixed table names. */
export function tutorialModels(suffix: string) {
  const Base = declarativeBase();
  const userTable = `user_account_${suffix}`;
  class User extends Base.model(userTable, {
    id: column(Integer, { primaryKey: true }),
    name: column(String(30), { nullable: false }),
    fullname: column(String),
    addresses: relationship.many(() => Address, { backPopulates: "user", cascade: "all, delete-orphan" }),
  }) {
    override toString() {
      return `User(id=${this.id}, name=${this.name}, fullname=${this.fullname})`;
    }
  }
  class Address extends Base.model(`address_${suffix}`, {
    id: column(Integer, { primaryKey: true }),
    emailAddress: column(String, { nullable: false }),
    userId: column(Integer, ForeignKey(`${userTable}.id`), { nullable: false }),
    user: relationship.one(() => User, { backPopulates: "addresses" }),
  }) {
    override toString() {
      return `Address(id=${this.id}, emailAddress=${this.emailAddress})`;
    }
  }
  return { Base, User, Address };
}
