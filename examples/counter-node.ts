/**
 * A custom node: a tiny replicated counter, to show how any distributed code plugs into the
 * environment. Point a test file at it with the `node` option:
 *
 *   @jest-environment-options {"multinode": {"node": "./counter-node.ts"}}
 *
 * The environment calls the default export (a `NodeFactory`) once per role, in that role's thread,
 * and again after every `fault.restart`. Whatever it returns as `system` becomes `multinode.system`
 * in that role's copy of the test file.
 *
 * The counter is a grow-only counter (a G-Counter CRDT): every node counts its own increments in
 * its own slot, and nodes exchange their slots, keeping the highest value seen for each. The
 * total is the sum of the slots. Exchanges happen after every increment and every 100 ms, so
 * nodes agree again after a partition heals, and a restarted node gets its old slot back from
 * its peers.
 */
import type { NodeFactory } from 'jest-environment-multinode';

/** What a role's test code gets as `multinode.system`. */
export interface CounterNode {
  /** This node's role and incarnation (0, then 1, 2, ... after each restart). */
  readonly role: string;
  readonly incarnation: number;
  /** Adds `n` (default 1) to this node's slot and tells the other nodes. */
  increment(n?: number): void;
  /** The sum of every slot this node knows of. */
  total(): number;
}

/** The one message the nodes exchange: the sender's view of every slot. */
interface SlotsMessage {
  readonly type: 'slots';
  readonly slots: Record<string, number>;
}

const GOSSIP_INTERVAL_MS = 100;

const counterNode: NodeFactory<CounterNode> = (ctx) => {
  const peers = ctx.roles.filter((role) => role !== ctx.role);
  const slots: Record<string, number> = {};

  // ctx.transport reaches the other roles' nodes. Sending never throws for a peer that is
  // partitioned away or crashed: the message is dropped, as on a real network. Messages are
  // structured-cloned, so send plain data.
  const broadcast = () => {
    const message: SlotsMessage = { type: 'slots', slots: { ...slots } };
    for (const peer of peers) ctx.transport.send(peer, message);
  };

  const unsubscribe = ctx.transport.onMessage((from, message) => {
    const incoming = message as SlotsMessage;
    if (incoming.type !== 'slots') return;
    for (const [role, count] of Object.entries(incoming.slots)) {
      if (count > (slots[role] ?? 0)) {
        slots[role] = count;
        // ctx.log goes into the merged, role-tagged log that the reporter prints for failed tests.
        ctx.log('debug', `learned ${role}=${count} from ${from}`);
      }
    }
  });
  const gossip = setInterval(broadcast, GOSSIP_INTERVAL_MS);

  ctx.log('info', `counter node ${ctx.role} started`, { incarnation: ctx.incarnation });

  const system: CounterNode = {
    role: ctx.role,
    incarnation: ctx.incarnation,
    increment(n = 1) {
      slots[ctx.role] = (slots[ctx.role] ?? 0) + n;
      broadcast();
    },
    total() {
      return Object.values(slots).reduce((sum, count) => sum + count, 0);
    },
  };

  const halt = () => {
    clearInterval(gossip);
    unsubscribe();
  };
  return {
    system,
    // Graceful stop: used by fault.leave and at the end of the file.
    stop: halt,
    // Crash: stop all work at once. The harness cuts the node's links as well.
    crash: halt,
  };
};

export default counterNode;
