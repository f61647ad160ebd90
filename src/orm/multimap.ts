/**
 * Grouping into a Map of arrays, the shape the flush and the loaders sort their work into.
 */

/** Appends `item` to the array of `key`, making the array on first use. */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, item: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [item]);
  else list.push(item);
}
