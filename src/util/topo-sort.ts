/**
 * Sorts nodes so that every node comes after the nodes it depends on (Kahn's algorithm, stable: among nodes that
 * are ready at the same time, the input order wins). Returns the sorted nodes and, as `cyclic`, the nodes left in cycles.
 *
 * ```ts
 * topoSort(["address", "user"], (t) => (t === "address" ? ["user"] : [])); // { sorted: ["user", "address"], cyclic: [] }
 * ```
 */
export function topoSort<T>(nodes: readonly T[], dependsOn: (node: T) => Iterable<T>): { sorted: T[]; cyclic: T[] } {
  const index = new Map<T, number>();
  for (let i = 0; i < nodes.length; i++) index.set(nodes[i], i);
  const pending = new Array<number>(nodes.length).fill(0);
  const dependents: number[][] = nodes.map(() => []);
  nodes.forEach((n, i) => {
    const seen = new Set<number>();
    for (const d of dependsOn(n)) {
      const j = index.get(d);
      if (j === undefined || j === i || seen.has(j)) continue;
      seen.add(j);
      pending[i]++;
      dependents[j].push(i);
    }
  });
  const sorted: T[] = [];
  const done = new Array<boolean>(nodes.length).fill(false);
  // A small sorted ready-list keeps the output stable; node counts here are tables, not rows.
  const ready: number[] = [];
  for (let i = 0; i < nodes.length; i++) if (pending[i] === 0) ready.push(i);
  while (ready.length > 0) {
    ready.sort((a, b) => a - b);
    const i = ready.shift() as number;
    done[i] = true;
    sorted.push(nodes[i]);
    for (const k of dependents[i]) if (--pending[k] === 0) ready.push(k);
  }
  const cyclic = nodes.filter((_, i) => !done[i]);
  return { sorted, cyclic };
}
