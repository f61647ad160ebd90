// db.ts — the engine, the declarative base and a session factory (SQLAlchemy's db.py).
import { parseArgs } from "node:util";
import { createEngine, declarativeBase, Session } from "crucible";

export const Base = declarativeBase();
// `npm run example -- --url <url>` or CRUCIBLE_URL points the quickstart at another database (PostgreSQL, MariaDB)
// without changing the code.
const { url = process.env.CRUCIBLE_URL ?? "sqlite:///DBName.sqlite" } = parseArgs({ options: { url: { type: "string" } } }).values;
export const engine = createEngine(url, { echo: true });
export const getSession = () => new Session(engine);
export const migrate = () => Base.metadata.createAll(engine); // after the models are imported
