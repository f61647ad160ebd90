export { Connection, type Executable, type ExecuteParams, Transaction } from "./connection.js";
export { registerDialect } from "./dialects.js";
export type { EchoSetting, EngineEvent, Logger } from "./echo.js";
export { createEngine, Engine, type EngineOptions, Inspector, inspect } from "./engine.js";
export type { PoolOptions } from "./pool.js";
export { Result, ScalarResult } from "./result.js";
export type { Row } from "./row.js";
export { parseUrl } from "./url.js";
