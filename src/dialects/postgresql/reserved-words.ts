/**
 * PostgreSQL keywords that must be quoted as identifiers: the "reserved" and "reserved (can be function or type)"
 * words of https://www.postgresql.org/docs/current/sql-keywords-appendix.html (as SQLAlchemy's RESERVED_WORDS).
 *
 * ```ts
 * POSTGRESQL_RESERVED.has("user"); // true: a column named user is written "user"
 * ```
 */
export const POSTGRESQL_RESERVED: ReadonlySet<string> = new Set(
  `all analyse analyze and any array as asc asymmetric authorization between binary both case cast check collate
collation column concurrently constraint create cross current_catalog current_date current_role current_schema
current_time current_timestamp current_user default deferrable desc distinct do else end except false fetch for
foreign freeze from full grant group having ilike in initially inner intersect into is isnull join lateral leading
left like limit localtime localtimestamp natural not notnull null of off offset on only or order outer over overlaps
placing primary references returning right select session_user similar some symmetric system_user table tablesample
then to trailing true union unique user using variadic verbose when where window with`.split(/\s+/),
);
