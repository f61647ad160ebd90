/**
 * Promises for functions that usually finish without waiting: with a synchronous driver (SQLite) a Session's lookup
 * or query runs to the end in the call, and an async function would still make its suspended state every time.
 */

/**
 * A settled promise, returned by methods that finished without waiting.
 *
 * ```ts
 * close(): Promise<void> { return this.conn?._close() ?? DONE; }
 * ```
 */
export const DONE: Promise<void> = Promise.resolve();

/**
 * A value, or the promise that will give it, as a promise.
 *
 * ```ts
 * return asPromise(rows instanceof Promise ? rows.then(toObjects) : toObjects(rows));
 * ```
 */
export function asPromise<T>(value: T | Promise<T>): Promise<T> {
  return value instanceof Promise ? value : Promise.resolve(value);
}

/**
 * `value`, once `work` is done (a function of its own: a `.then(() => value)` written in the caller would make V8
 * allocate a context at every call of the caller, also when it returns without waiting).
 *
 * ```ts
 * if (eager) return thenValue(applySteps(host, states, mapper, paths), out);
 * ```
 */
export function thenValue<T>(work: Promise<unknown>, value: T): Promise<T> {
  return work.then(() => value);
}
