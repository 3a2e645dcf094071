import { createRng, type Clock } from '../util';
import type { FaultTable } from './FaultTable';
import { LinkEndpoint } from './LinkEndpoint';
import { NodeHost } from './NodeHost';
import type { NodeRealm } from './NodeRealm';
import type { LinkEnd } from './RoleRunner';
import type { TraceBuffer } from './TraceBuffer';

/** What one role's node side is made of, on the lead and in a role thread alike. */
export interface RoleNodeOptions {
  readonly role: string;
  readonly roles: readonly string[];
  readonly seed: number;
  /** This role's link end towards each peer role. */
  readonly ports: ReadonlyMap<string, LinkEnd>;
  readonly table: FaultTable;
  readonly clock: Clock;
  readonly trace: TraceBuffer;
  readonly nodeOptions: Readonly<Record<string, unknown>>;
  readonly nodeTimeoutMs: number;
  /** Deadline of the first start, or null where the lead's start-up gate bounds it (see NodeHostOptions). */
  readonly setupTimeoutMs: number | null;
  /** The realm the node is loaded into; asked for at its first start. */
  readonly realm: () => NodeRealm;
}

/** Wires a role's end of the link mesh (with its own seeded RNG for drops and delays) to its node host. */
export function createRoleNode(options: RoleNodeOptions): { links: LinkEndpoint; host: NodeHost } {
  const { role, roles, seed, clock, trace } = options;
  const links = new LinkEndpoint(role, roles, options.ports, options.table, clock, createRng(seed).fork(`links:${role}`), trace);
  const host = new NodeHost(
    { role, roles, seed, nodeOptions: options.nodeOptions, nodeTimeoutMs: options.nodeTimeoutMs, setupTimeoutMs: options.setupTimeoutMs },
    options.realm,
    links,
    trace,
    clock,
  );
  return { links, host };
}
