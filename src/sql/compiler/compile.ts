/**
 * Compile with a cache: a statement's shape (cache key) maps to its compiled form, so building and running the same
 * query many times compiles it once.
 */
import { keepShape } from "../../util/keep-alive.js";
import { LRUCache } from "../../util/lru.js";
import type { BindNode, StatementNode } from "../ast/nodes.js";
import { statementKey } from "./cache-key.js";
import type { CompiledStatement } from "./compiled.js";
import type { CompileOptions, SqlCompiler } from "./sql-compiler.js";

/** Makes a compiler for one statement. */
export type CompilerFactory = (bindIndex: ReadonlyMap<BindNode, number>, options?: CompileOptions) => SqlCompiler;

/** Statistics of a statement cache (shown by the echo log as "cached" / "generated"). */
export interface CacheStats {
  /** Statements compiled (cache misses). */
  compiled: number;
  /** Statements served from the cache. */
  hits: number;
}

/** The result of looking a statement up: its compiled form, its bound values, and whether the cache had it. */
export interface CompileResult {
  readonly compiled: CompiledStatement;
  readonly binds: readonly BindNode[];
  readonly cached: boolean;
}

/** One object shape for every lookup, kept alive for good (see util/keep-alive.ts). */
function compileResult(compiled: CompiledStatement, binds: readonly BindNode[], cached: boolean): CompileResult {
  return { compiled, binds, cached };
}
keepShape(compileResult(null as never, [], false));

/**
 * A per-dialect cache of compiled statements keyed by statement shape.
 *
 * ```ts
 * const cache = new StatementCache((idx) => new SqlCompiler(dialect, idx));
 * cache.compile(select(users).node).cached; // false, then true for the same shape
 * ```
 */
export class StatementCache {
  readonly stats: CacheStats = { compiled: 0, hits: 0 };
  private readonly cache: LRUCache<string, CompiledStatement>;
  constructor(
    private readonly factory: CompilerFactory,
    capacity = 500,
  ) {
    this.cache = new LRUCache(capacity);
  }
  compile(node: StatementNode): CompileResult {
    const { key, binds } = statementKey(node);
    const hit = this.cache.get(key);
    if (hit) {
      this.stats.hits++;
      return compileResult(hit, binds, true);
    }
    const bindIndex = new Map<BindNode, number>();
    for (let i = 0; i < binds.length; i++) bindIndex.set(binds[i], i);
    const compiled = this.factory(bindIndex).compile(node);
    this.stats.compiled++;
    this.cache.set(key, compiled);
    return compileResult(compiled, binds, false);
  }
  get size(): number {
    return this.cache.size;
  }
  clear(): void {
    this.cache.clear();
  }
}
