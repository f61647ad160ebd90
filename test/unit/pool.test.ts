// The pool's idle timeout: connections idle too long close; a connection used meanwhile stays.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Driver, DriverConnection } from "../../src/dialects/base/driver.js";
import { Pool } from "../../src/engine/pool.js";

/** A driver whose connections only count their closing. */
function fakeDriver() {
  const closed: number[] = [];
  let made = 0;
  const driver = {
    singleConnection: false,
    sharedHandle: false,
    async connect() {
      const id = ++made;
      return { close: async () => void closed.push(id) } as unknown as DriverConnection;
    },
  } as unknown as Driver;
  return { driver, closed };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("pool idle timeout", () => {
  it("closes a connection once it has been idle for idleTimeoutMs (checked by sweeps), not one in use meanwhile", async () => {
    vi.useFakeTimers();
    const { driver, closed } = fakeDriver();
    const pool = new Pool(driver, { idleTimeoutMs: 2000 }); // a sweep every 2 s
    const a = await pool.acquire();
    const b = await pool.acquire();
    pool.release(a);
    pool.release(b);
    expect(pool.size).toBe(2);
    await vi.advanceTimersByTimeAsync(2000); // first sweep: both found idle
    await vi.advanceTimersByTimeAsync(2000); // idle for 2 s: not longer than the timeout yet
    expect(pool.size).toBe(2);
    const again = await pool.acquire(); // b (the last released) is used again...
    pool.release(again);
    await vi.advanceTimersByTimeAsync(2000); // ...so only a has been idle past the timeout
    expect(closed).toEqual([1]);
    expect(pool.size).toBe(1);
    await vi.advanceTimersByTimeAsync(4000);
    expect(closed).toEqual([1, 2]);
    expect(pool.size).toBe(0);
    await pool.dispose();
  });
});
