import type { FaultTable, LinkFaults, NodeState } from '../harness';
import { UnknownRoleError } from '../harness';

/**
 * What a fault proxy reads, live, on every new connection and every chunk: the faults of a one-way
 * link and the state of a role's node. Reading is cheap and never waits, so a fault written to the
 * shared table is in force on the next chunk and the next connection without any message.
 */
export interface FaultReader {
  /** The faults on the one-way link `from -> to`. */
  linkFaults(from: string, to: string): LinkFaults;
  /** The state of `role`'s node: a proxy refuses connections to a node that is not running. */
  nodeState(role: string): NodeState;
}

/**
 * A `FaultReader` over the file's shared `FaultTable`, whose rows are the roles in `roles` order.
 * Throws `UnknownRoleError` for a role not in `roles`.
 */
export function faultTableReader(table: FaultTable, roles: readonly string[]): FaultReader {
  const indexes = new Map(roles.map((role, index) => [role, index]));
  const indexOf = (role: string): number => {
    const index = indexes.get(role);
    if (index === undefined) throw new UnknownRoleError([role], roles, 'The fault proxy');
    return index;
  };
  return {
    linkFaults: (from, to) => table.linkFaults(indexOf(from), indexOf(to)),
    nodeState: (role) => table.nodeState(indexOf(role)),
  };
}
