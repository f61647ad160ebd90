/**
 * What the unit of work sees of a Session during a flush.
 */

import { keepShape } from "../../util/keep-alive.js";
import { selectinLoad } from "../loading/selectin.js";
import type { Mapper } from "../mapper.js";
import type { Registry } from "../registry.js";
import type { FlushHost } from "../unit-of-work/flush.js";
import type { Session } from "./session.js";
import { detachState } from "./session-objects.js";

/**
 * The mappers a flush orders its work by: every mapper of the declarative bases of the objects involved (usually one
 * base, whose mapper list keeps its commit order cached between flushes).
 */
export function mappersInUse(session: Session): readonly Mapper[] {
  // Pending objects' registries were noted as they were added (no walk over 30,000 pending objects here).
  const seen = session.registries;
  session.toDelete.forEach((s) => {
    seen.add(s.mapper.registry);
  });
  for (const m of session.identityMap.mappers()) seen.add(m.registry);
  if (seen.first === null) return [];
  return seen.others === null ? seen.first.mappers : [seen.first, ...seen.others].flatMap((r) => r.mappers);
}

/** The distinct registries met, without a Set for the usual single one. */
export class Registries {
  first: Registry | null = null;
  others: Set<Registry> | null = null;
  add(r: Registry): void {
    if (r === this.first) return;
    if (this.first === null) this.first = r;
    else (this.others ??= new Set()).add(r);
  }
}
keepShape(new Registries());

/** The Session seen as a FlushHost: its collections, connection and transaction record. */
export function flushHostOf(session: Session): FlushHost {
  return {
    dialect: session.dialect,
    identityMap: session.identityMap,
    pending: session.pending,
    toDelete: session.toDelete,
    relChanged: session.relChanged,
    get transaction() {
      return session.transaction;
    },
    connection: () => session.connection(),
    load: (states, rel) => selectinLoad(session.loadHost(false), states, rel, []),
    detach: (s) => detachState(session, s),
    takeToDelete: () => session._takeToDelete(),
  };
}
// A host of no Session: keeps the shape alive for good (see util/keep-alive.ts); it is never called.
keepShape(flushHostOf(new Proxy({}, { get: () => null }) as never));
