/** SQLite keywords that must be quoted as identifiers (https://sqlite.org/lang_keywords.html). */
export const SQLITE_RESERVED = new Set(
  `abort action add after all alter analyze and as asc attach autoincrement before begin between by cascade case cast
check collate column commit conflict constraint create cross current current_date current_time current_timestamp
database default deferrable deferred delete desc detach distinct do drop each else end escape except exclusive exists
explain fail filter following for foreign from full glob group having if ignore immediate in index indexed initially
inner insert instead intersect into is isnull join key left like limit match natural no not nothing notnull null of
offset on or order outer over partition plan pragma preceding primary query raise range recursive references regexp
reindex release rename replace restrict returning right rollback row rows savepoint select set table temp temporary
then to transaction trigger unbounded union unique update using vacuum values view virtual when where window with
without true false`.split(/\s+/),
);
