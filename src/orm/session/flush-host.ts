/**
 * What the unit of work sees of a Session during a flush.
 */

import { selectinLoad } from "../loading/selectin.js";
import type { Mapper } from "../mapper.js";
import type { FlushHost } from "../unit-of-work/flush.js";
import type { Session } from "./session.js";
import { detachState } from "./session-objects.js";

/** The mappers a flush orders its work by: the whole registry of the objects involved (its commit order is cached). */
export function mappersInUse(session: Session): Mapper[] {
  const set = new Set<Mapper>();
  for (const s of session.pending) set.add(s.mapper);
  for (const s of session.toDelete) set.add(s.mapper);
  for (const m of session.identityMap.mappers()) set.add(m);
  const registry = [...set][0]?.registry;
  // The commit order is computed over the whole registry (cached), so order is stable between flushes.
  return registry ? registry.mappers : [];
}

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
    attach: (s) => {
      s.status = "pending";
      s.session = session;
      session.pending.add(s);
    },
    load: (states, rel) => selectinLoad(session.loadHost(false), states, rel, []),
    detach: (s) => detachState(session, s),
  };
}
