// db.ts — the engine, the declarative base and a session factory (SQLAlchemy's db.py).
import { createEngine, declarativeBase, Session } from "crucible";

export const Base = declarativeBase();
// CRUCIBLE_URL points the quickstart at another database (PostgreSQL, MariaDB) without changing the code.
export const engine = createEngine(process.env.CRUCIBLE_URL ?? "sqlite:///DBName.sqlite", { echo: true });
export const getSession = () => new Session(engine);
export const migrate = () => Base.metadata.createAll(engine); // after the models are imported
