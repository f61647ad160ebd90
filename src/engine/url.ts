/**
 * Database URLs, as SQLAlchemy writes them: `dialect[+driver]://[user[:password]@][host][:port][/database][?k=v]`.
 */
import type { ConnectionSpec } from "../dialects/base/dialect.js";
import { ArgumentError } from "../util/errors.js";
import { dialectSchemes, hasDialect } from "./dialects.js";

const VALID_FORMS = `Valid forms:
  sqlite://                          in-memory SQLite database
  sqlite:///relative/path.db         file relative to the working directory (three slashes)
  sqlite:////absolute/path.db        absolute path (four slashes)
  postgresql://user:pass@host:5432/dbname
  postgresql+pglite://               embedded PostgreSQL (PGlite) in memory
  postgresql+pglite:///path/to/dir   embedded PostgreSQL stored in a directory
  mysql://user:pass@host:3306/dbname   (also mariadb://)`;

/** Other names of the built-in dialects' URL schemes. */
const DIALECT_ALIASES = new Map([
  ["postgres", "postgresql"],
  ["mariadb", "mysql"],
]);

/**
 * Parses a database URL. A malformed URL is an ArgumentError that lists the valid forms.
 *
 * ```ts
 * parseUrl("sqlite:///app.db").database; // "app.db"
 * ```
 */
export function parseUrl(url: string): ConnectionSpec {
  if (typeof url !== "string") throw new ArgumentError(`createEngine() needs a URL string, got ${typeof url}.\n${VALID_FORMS}`);
  const m = /^([A-Za-z][A-Za-z0-9]*)(?:\+([A-Za-z0-9_]+))?:\/\/(.*)$/s.exec(url.trim());
  if (!m) throw new ArgumentError(`Could not parse the database URL ${JSON.stringify(url)}.\n${VALID_FORMS}`);
  const [, rawDialect, driver, rest] = m;
  const scheme = rawDialect.toLowerCase();
  // Registered schemes (built-in ones and those added with registerDialect(), which win), then the aliases.
  const dialect = hasDialect(scheme) ? scheme : (DIALECT_ALIASES.get(scheme) ?? null);
  if (dialect === null)
    throw new ArgumentError(
      `Unknown database "${rawDialect}" in ${JSON.stringify(url)}; the registered ones are ${[...dialectSchemes(), ...DIALECT_ALIASES.keys()].join(", ")} (add one with registerDialect()).\n${VALID_FORMS}`,
    );
  const qIndex = rest.indexOf("?");
  const main = qIndex >= 0 ? rest.slice(0, qIndex) : rest;
  const query: Record<string, string> = {};
  if (qIndex >= 0) for (const [k, v] of new URLSearchParams(rest.slice(qIndex + 1))) query[k] = v;
  const isPglite = dialect === "postgresql" && driver === "pglite";

  if (dialect === "sqlite" || isPglite) {
    // Embedded: everything after the authority's empty host is a path.
    if (main === "" || main === "/" || main === "/:memory:") return spec(url, dialect, driver, null, query);
    if (!main.startsWith("/"))
      throw new ArgumentError(
        `Invalid ${isPglite ? "PGlite" : "SQLite"} URL ${JSON.stringify(url)}: a file path needs three slashes (${rawDialect}${driver ? `+${driver}` : ""}:///${main}) for a relative path, four for an absolute one.\n${VALID_FORMS}`,
      );
    return spec(url, dialect, driver, decodeURIComponent(main.slice(1)), query);
  }

  const at = main.lastIndexOf("@");
  const auth = at >= 0 ? main.slice(0, at) : "";
  const hostPart = at >= 0 ? main.slice(at + 1) : main;
  const slash = hostPart.indexOf("/");
  const hostPort = slash >= 0 ? hostPart.slice(0, slash) : hostPart;
  const database = slash >= 0 ? decodeURIComponent(hostPart.slice(slash + 1)) || null : null;
  const pm = /^(\[[^\]]+\]|[^:]*)(?::(\d*))?$/.exec(hostPort);
  if (!pm) throw new ArgumentError(`Invalid host and port "${hostPort}" in ${JSON.stringify(redact(url))}.\n${VALID_FORMS}`);
  const host = pm[1] ? pm[1].replace(/^\[|\]$/g, "") : null;
  let port: number | null = null;
  if (pm[2] !== undefined && pm[2] !== "") {
    port = Number(pm[2]);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ArgumentError(`Invalid port ${pm[2]} in ${JSON.stringify(redact(url))}`);
  }
  let username: string | null = null;
  let password: string | null = null;
  if (auth) {
    const colon = auth.indexOf(":");
    username = decodeURIComponent(colon >= 0 ? auth.slice(0, colon) : auth);
    password = colon >= 0 ? decodeURIComponent(auth.slice(colon + 1)) : null;
  }
  return {
    display: redact(url),
    dialect,
    driver: driver ?? null,
    username,
    password,
    host,
    port,
    database,
    query,
  };
}

function spec(url: string, dialect: string, driver: string | undefined, database: string | null, query: Record<string, string>): ConnectionSpec {
  return { display: url, dialect, driver: driver ?? null, username: null, password: null, host: null, port: null, database, query };
}

/** The URL with its password replaced by `***`. */
export function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, "$1***@");
}
