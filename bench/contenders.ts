// The two contenders of `npm run bench`: Crucible used as its docs say, and the raw better-sqlite3 driver with
// prepared statements (the physical limit), on identical workloads W1–W6 (shared/bench/peers/README.md).
import Database from "better-sqlite3";
import type { UserInput } from "./dataset.js";

/** The package's API (the benchmark imports the built package, typed by its sources). */
type Crucible = typeof import("../src/index.js");

export interface Contender {
  readonly name: string;
  setup(file: string): Promise<void>;
  teardown(): Promise<void>;
  insert(users: UserInput[]): Promise<void>;
  loadGraph(): Promise<{ users: number; addresses: number }>;
  filter(nameSets: string[][]): Promise<number>;
  update(suffix: string): Promise<number>;
  pkLookup(ids: number[]): Promise<number>;
  deleteAll(): Promise<void>;
}

interface UserRow {
  id: number;
  name: string;
  fullname: string;
}

/** better-sqlite3 with prepared statements, as shared/bench/peers/src/contenders/raw.ts. */
export class Raw implements Contender {
  readonly name = "raw";
  private db!: Database.Database;
  async setup(file: string) {
    this.db = new Database(file);
  }
  async teardown() {
    this.db.close();
  }
  async insert(users: UserInput[]) {
    const insU = this.db.prepare("INSERT INTO user_account (name, fullname) VALUES (?, ?)");
    const insA = this.db.prepare("INSERT INTO address (email_address, user_id) VALUES (?, ?)");
    this.db.transaction(() => {
      for (const u of users) {
        const id = insU.run(u.name, u.fullname).lastInsertRowid;
        for (const e of u.addresses) insA.run(e, id);
      }
    })();
  }
  async loadGraph() {
    const users = this.db.prepare("SELECT id, name, fullname FROM user_account").all() as UserRow[];
    const addrs = this.db.prepare("SELECT id, email_address, user_id FROM address").all() as { user_id: number }[];
    const byId = new Map<number, { addresses: unknown[] }>();
    for (const u of users) byId.set(u.id, { ...u, addresses: [] });
    for (const a of addrs) byId.get(a.user_id)?.addresses.push(a);
    let n = 0;
    for (const u of byId.values()) n += u.addresses.length;
    return { users: byId.size, addresses: n };
  }
  async filter(nameSets: string[][]) {
    const st = this.db.prepare("SELECT id, name, fullname FROM user_account WHERE name IN (?, ?, ?, ?, ?)");
    let n = 0;
    for (const s of nameSets) n += st.all(...s).length;
    return n;
  }
  async update(suffix: string) {
    const users = this.db.prepare("SELECT id, name, fullname FROM user_account").all() as UserRow[];
    for (const u of users) u.fullname = u.fullname + suffix;
    const up = this.db.prepare("UPDATE user_account SET fullname = ? WHERE id = ?");
    let n = 0;
    this.db.transaction(() => {
      for (const u of users) n += up.run(u.fullname, u.id).changes;
    })();
    return n;
  }
  async pkLookup(ids: number[]) {
    const st = this.db.prepare("SELECT id, name, fullname FROM user_account WHERE id = ?");
    let s = 0;
    for (const id of ids) s += (st.get(id) as UserRow).name.length;
    return s;
  }
  async deleteAll() {
    this.db.transaction(() => {
      this.db.prepare("DELETE FROM address").run();
      this.db.prepare("DELETE FROM user_account").run();
    })();
  }
}

/** Crucible as its README tells a user to write it (the same code as shared/bench/peers/src/contenders/crucible.ts). */
export class CrucibleContender implements Contender {
  readonly name = "crucible";
  private c!: Crucible;
  private User: any;
  private engine: any;
  constructor(private readonly pkg: Crucible) {}
  async setup(file: string) {
    const c = (this.c = this.pkg);
    const Base = c.declarativeBase();
    class User extends Base.model("user_account", {
      id: c.column(c.Integer, { primaryKey: true }),
      name: c.column(c.String(30)),
      fullname: c.column(c.Text),
      addresses: c.relationship.many(() => Address, { backPopulates: "user", cascade: "all, delete-orphan" }),
    }) {}
    class Address extends Base.model("address", {
      id: c.column(c.Integer, { primaryKey: true }),
      emailAddress: c.column(c.Text, { nullable: false }),
      userId: c.column(c.Integer, c.ForeignKey("user_account.id"), { nullable: false }),
      user: c.relationship.one(() => User, { backPopulates: "addresses" }),
    }) {}
    this.User = User;
    this.Address = Address;
    this.engine = c.createEngine(`sqlite:///${file}`);
  }
  private Address: any;
  async teardown() {
    await this.engine.dispose();
  }
  private session() {
    return new this.c.Session(this.engine);
  }
  async insert(users: UserInput[]) {
    const s = this.session();
    const { User, Address } = this;
    s.addAll(users.map((u) => new User({ name: u.name, fullname: u.fullname, addresses: u.addresses.map((e) => new Address({ emailAddress: e })) })));
    await s.commit();
    await s.close();
  }
  async loadGraph() {
    const s = this.session();
    const users = await s.scalars(this.c.select(this.User).options(this.c.selectinload(this.User.addresses)));
    let addresses = 0;
    for (const u of users as { addresses: unknown[] }[]) addresses += u.addresses.length;
    await s.close();
    return { users: users.length, addresses };
  }
  async filter(nameSets: string[][]) {
    const { c, User } = this;
    let n = 0;
    for (const names of nameSets) {
      const s = this.session();
      n += (await s.scalars(c.select(User).where(User.c.name.in(names)))).length;
      await s.close();
    }
    return n;
  }
  async update(suffix: string) {
    const s = this.session();
    const users = await s.scalars(this.c.select(this.User));
    for (const u of users as { fullname: string }[]) u.fullname = u.fullname + suffix;
    await s.commit();
    await s.close();
    return users.length;
  }
  async pkLookup(ids: number[]) {
    let sum = 0;
    for (const id of ids) {
      const s = this.session();
      const u = await s.get(this.User, id);
      sum += (u as { name: string }).name.length;
      await s.close();
    }
    return sum;
  }
  async deleteAll() {
    const s = this.session();
    const users = await s.scalars(this.c.select(this.User).options(this.c.selectinload(this.User.addresses)));
    for (const u of users) s.delete(u as never);
    await s.commit();
    await s.close();
  }
}
