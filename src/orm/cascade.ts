/**
 * Cascade settings of a relationship (SQLAlchemy's cascade strings).
 */
import { ArgumentError } from "../util/errors.js";
import { splitWords } from "../util/naming.js";

export type CascadeKind = "save-update" | "merge" | "delete" | "delete-orphan" | "expunge" | "refresh-expire";
const ALL: CascadeKind[] = ["save-update", "merge", "refresh-expire", "expunge", "delete"];
const KNOWN = new Set<string>([...ALL, "delete-orphan", "all", "none"]);

/**
 * The set of cascades named by a cascade string (`"all, delete-orphan"`); the default is `"save-update, merge"`. A
 * viewonly relationship never writes, so it has no save-update, delete or delete-orphan cascade, and naming one of
 * them (or "all") for it is an ArgumentError (as in SQLAlchemy 1.4+).
 */
export class Cascade {
  readonly saveUpdate: boolean;
  readonly merge: boolean;
  readonly delete: boolean;
  readonly deleteOrphan: boolean;
  readonly expunge: boolean;
  readonly refreshExpire: boolean;
  constructor(spec: string | undefined, where: string, viewonly = false) {
    const words = spec === undefined ? ["save-update", "merge"] : splitWords(spec);
    const set = new Set<string>();
    for (const w of words) {
      if (!KNOWN.has(w)) throw new ArgumentError(`${where}: unknown cascade "${w}"; use ${[...KNOWN].join(", ")}`);
      if (w === "all") for (const a of ALL) set.add(a);
      else if (w !== "none") set.add(w);
    }
    if (viewonly && spec !== undefined) {
      const writing = ["save-update", "delete", "delete-orphan"].filter((c) => set.has(c));
      if (writing.length > 0)
        throw new ArgumentError(
          `${where}: cascade "${writing.join(", ")}" applies to writes, and a viewonly relationship is never written; remove it (keep "merge", "expunge" or "refresh-expire" if you need them), or drop viewonly` +
            (words.includes("all") ? ` ("all" includes ${writing.join(", ")}: list the cascades you want instead)` : ""),
        );
    }
    this.saveUpdate = !viewonly && set.has("save-update");
    this.merge = set.has("merge");
    this.delete = !viewonly && set.has("delete");
    this.deleteOrphan = !viewonly && set.has("delete-orphan");
    this.expunge = set.has("expunge");
    this.refreshExpire = set.has("refresh-expire");
  }
}
