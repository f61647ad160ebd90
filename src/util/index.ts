export * from "./errors.js";
export { LRUCache } from "./lru.js";
export { snakeCase, splitWords } from "./naming.js";
export { topoSort } from "./topo-sort.js";
