// The tutorial's models (SQLAlchemy Unified Tutorial: User / Address), on a fresh Base per call.
import { column, createEngine, declarativeBase, type Engine, type EngineEvent, ForeignKey, Integer, relationship, String } from "crucible";

export function tutorialModels() {
  const Base = declarativeBase();
  class User extends Base.model("user_account", {
    id: column(Integer, { primaryKey: true }),
    name: column(String(30), { nullable: false }),
    fullname: column(String),
    addresses: relationship.many(() => Address, { backPopulates: "user", cascade: "all, delete-orphan" }),
  }) {
    override toString() {
      return `User(id=${this.id}, name=${this.name}, fullname=${this.fullname})`;
    }
  }
  class Address extends Base.model("address", {
    id: column(Integer, { primaryKey: true }),
    emailAddress: column(String, { nullable: false }),
    userId: column(Integer, ForeignKey("user_account.id"), { nullable: false }),
    user: relationship.one(() => User, { backPopulates: "addresses" }),
  }) {
    override toString() {
      return `Address(id=${this.id}, emailAddress=${this.emailAddress})`;
    }
  }
  return { Base, User, Address };
}

/** Records the SQL an engine sends (statements and transaction boundaries). */
export class SqlLog {
  readonly events: EngineEvent[] = [];
  constructor(engine: Engine) {
    engine.on((e) => this.events.push(e));
  }
  /** Statements (and BEGIN/COMMIT/ROLLBACK) since the last take(), as SQL text. */
  take(): string[] {
    const out = this.events.map((e) => e.sql);
    this.events.length = 0;
    return out;
  }
  /** The statements with their parameters since the last take(). */
  takeWithParams(): [string, readonly unknown[]][] {
    const out = this.events.map((e): [string, readonly unknown[]] => [e.sql, e.kind === "statement" ? e.params : []]);
    this.events.length = 0;
    return out;
  }
}

export async function tutorialDatabase() {
  const engine = createEngine("sqlite://");
  const models = tutorialModels();
  await models.Base.metadata.createAll(engine);
  return { engine, ...models, log: new SqlLog(engine) };
}
