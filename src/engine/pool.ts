/**
 * The connection pool: bounded size, waiting with a timeout when full, idle timeout, pre-ping, recycling by age.
 * Embedded databases (SQLite, PGlite) have one handle, so their pool has one connection that callers take in turn.
 */
import type { Driver, DriverConnection } from "../dialects/base/driver.js";
import { TimeoutError } from "../util/errors.js";
import { keepShape } from "../util/keep-alive.js";

/**
 * Pool settings (`createEngine(url, { pool: {...} })`).
 *
 * ```ts
 * createEngine(url, { pool: { max: 20, acquireTimeoutMs: 5000, prePing: true, recycleMs: 3_600_000 } });
 * ```
 */
export interface PoolOptions {
  /** Most connections open at once (default 10; always 1 for PGlite; SQLite in memory shares one handle among them). */
  readonly max?: number;
  /**
   * Close connections idle for longer than this (default 30,000 ms; 0 = never). Checked by a sweep every
   * `min(idleTimeoutMs, 10 s)` (at least 1 s), which times a connection's idleness from the first sweep that finds it
   * idle: a connection closes once it has been idle for idleTimeoutMs, and at most two sweep intervals later.
   */
  readonly idleTimeoutMs?: number;
  /** How long acquire() waits for a free connection before a TimeoutError (default 30,000 ms). */
  readonly acquireTimeoutMs?: number;
  /** Check a connection is alive before handing it out (default false). */
  readonly prePing?: boolean;
  /** Replace connections older than this (default: never). */
  readonly recycleMs?: number;
}

/** A connection held by the pool, with its bookkeeping. */
export interface PooledConnection {
  readonly driver: DriverConnection;
  readonly createdAt: number;
  /** When a sweep first found it idle (ms since epoch); 0 while in use or released since the last sweep. */
  lastUsed: number;
  /** The engine set this when a transaction is open on the connection. */
  inTransaction: boolean;
}

interface Waiter {
  resolve(pc: PooledConnection): void;
  reject(e: unknown): void;
  timer: ReturnType<typeof setTimeout>;
}

/** A pooled connection (one object shape for every pool). */
function pooled(driver: DriverConnection, now: number): PooledConnection {
  return { driver, createdAt: now, lastUsed: now, inTransaction: false };
}

export class Pool {
  readonly max: number;
  private readonly idleTimeoutMs: number;
  private readonly acquireTimeoutMs: number;
  private readonly prePing: boolean;
  private readonly recycleMs: number;
  private readonly idle: PooledConnection[] = [];
  private readonly waiters: Waiter[] = [];
  private open = 0;
  private pending = 0;
  private sweeper: ReturnType<typeof setInterval> | null = null;
  private disposed = false;

  constructor(
    private readonly driver: Driver,
    options: PoolOptions = {},
  ) {
    this.max = driver.singleConnection && !driver.sharedHandle ? 1 : Math.max(1, options.max ?? 10);
    this.idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
    this.acquireTimeoutMs = options.acquireTimeoutMs ?? 30_000;
    this.prePing = options.prePing ?? false;
    this.recycleMs = options.recycleMs ?? 0;
  }

  /** Connections open now (idle + in use). */
  get size(): number {
    return this.open;
  }
  /** Connections in use now. */
  get inUse(): number {
    return this.open - this.idle.length;
  }

  /**
   * A connection: returned directly (no promise) when an idle one can be handed out without I/O, which keeps a
   * synchronous driver's round trip free of promise hops.
   */
  acquire(): PooledConnection | Promise<PooledConnection> {
    if (!this.disposed && !this.prePing && this.idle.length > 0) {
      const pc = this.idle[this.idle.length - 1];
      if (this.fresh(pc)) return this.idle.pop() as PooledConnection;
    }
    // A stale idle connection, pre-ping, or none idle: the slow path closes, checks or opens.
    return this.acquireSlow();
  }

  private async acquireSlow(): Promise<PooledConnection> {
    if (this.disposed)
      throw new TimeoutError("engine.dispose() closed this pool while a connection was being requested; connect again (the engine opens a new pool)");
    while (this.idle.length > 0) {
      const pc = this.idle.pop() as PooledConnection;
      if (this.fresh(pc) && (!this.prePing || (await this.ping(pc)))) return pc;
      await this.destroy(pc);
    }
    if (this.open + this.pending < this.max) return this.create();
    return new Promise<PooledConnection>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(
            new TimeoutError(
              `no connection became free within ${this.acquireTimeoutMs} ms: all ${this.max} are in use. ` +
                "Close Sessions and Connections when done (await using / close()), or raise pool.max / pool.acquireTimeoutMs.",
            ),
          );
        }, this.acquireTimeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  /** Not broken and not too old (checked without I/O). */
  private fresh(pc: PooledConnection): boolean {
    if (pc.driver.isBroken?.()) return false;
    return !(this.recycleMs > 0 && Date.now() - pc.createdAt > this.recycleMs);
  }

  private async ping(pc: PooledConnection): Promise<boolean> {
    try {
      return await pc.driver.ping();
    } catch {
      return false;
    }
  }

  private async create(): Promise<PooledConnection> {
    this.pending++;
    try {
      const driver = await this.driver.connect();
      this.open++;
      this.startSweeper();
      const now = Date.now();
      return pooled(driver, now);
    } finally {
      this.pending--;
    }
  }

  /** Gives a connection back (synchronously); `discard` closes it instead (it broke, or its state is unknown). */
  release(pc: PooledConnection, discard = false): Promise<void> | undefined {
    // No clock read per release (a point lookup's Session releases once): the sweep stamps it when it sees it idle.
    pc.lastUsed = 0;
    if (discard || this.disposed) return this.releaseDiscard(pc);
    const w = this.waiters.shift();
    if (w) {
      clearTimeout(w.timer);
      w.resolve(pc);
      return undefined;
    }
    this.idle.push(pc);
    return undefined;
  }

  private async releaseDiscard(pc: PooledConnection): Promise<void> {
    await this.destroy(pc);
    // A slot opened: a waiter gets a fresh connection.
    const w = this.waiters.shift();
    if (w) {
      clearTimeout(w.timer);
      this.create().then(w.resolve, w.reject);
    }
  }

  private async destroy(pc: PooledConnection): Promise<void> {
    this.open--;
    try {
      await pc.driver.close();
    } catch {
      // closing a broken connection may fail; it is gone either way
    }
  }

  private startSweeper(): void {
    if (this.sweeper || this.idleTimeoutMs <= 0 || this.driver.singleConnection) return;
    this.sweeper = setInterval(() => this.sweep(), Math.max(1000, Math.min(this.idleTimeoutMs, 10_000)));
    this.sweeper.unref?.();
  }

  private sweep(): void {
    const now = Date.now();
    for (let i = this.idle.length - 1; i >= 0; i--) {
      const pc = this.idle[i];
      if (pc.lastUsed === 0) pc.lastUsed = now;
      else if (now - pc.lastUsed > this.idleTimeoutMs) {
        this.idle.splice(i, 1);
        void this.destroy(pc);
      }
    }
  }

  /** Closes every idle connection and refuses new work; connections in use close when released. */
  async dispose(): Promise<void> {
    this.disposed = true;
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(new TimeoutError("the engine was disposed while waiting for a connection"));
    }
    await Promise.all(this.idle.splice(0).map((pc) => this.destroy(pc)));
    await this.driver.close?.();
  }
}

// The shapes of a pool and its connections outlive a disposed engine (see util/keep-alive.ts); these hold nothing.
keepShape(pooled(null as never, Date.now())); // a real timestamp: its field holds a double, as in real ones
keepShape(new Pool({ singleConnection: false, sharedHandle: false } as Driver));
