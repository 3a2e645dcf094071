import { createRng, type Rng } from '../util';
import type { LinkEnd, LinkPort, NodeRealm } from '../harness';
import type { SimWorld } from './SimWorld';

/** The latency of every simulated link, drawn per message from the link's own seeded stream. */
export interface LatencyMs {
  readonly minMs: number;
  readonly maxMs: number;
}

/** One direction of a link between two roles. */
interface DirectedLink {
  readonly from: string;
  readonly to: string;
  readonly rng: Rng;
  /** When the last message sent on this link arrives: nothing overtakes it (FIFO per direction). */
  lastArrivalAt: number;
  /** The receiving end, once its node's realm adopted it. */
  receiver: { realm: NodeRealm; handler: ((value: unknown) => void) | null } | null;
  /** Messages that arrived before the receiver listened, as a port keeps them. */
  readonly waiting: InFlight[];
  /** What the tie-break of this link's deliveries is derived from. */
  readonly source: string;
  closed: boolean;
}

/** A message on its way: its one copy, and whether that copy is already made of the receiver's realm's objects. */
interface InFlight {
  readonly value: unknown;
  readonly inRealm: boolean;
}

/**
 * The node links of a simulated file: every message is copied once, when sent (later changes by the
 * sender do not travel), straight into the receiver's realm when its node has adopted the link
 * (otherwise with a plain structured clone, copied into the realm when it is delivered). It arrives
 * after a latency drawn from its directed link's seeded stream, never before an earlier message of
 * the same direction, as an event of the receiving role. Faults stay where they are in every mode:
 * the link endpoints apply them at the sender, on the virtual clock.
 */
export class SimNetwork {
  constructor(
    private readonly world: SimWorld,
    private readonly seed: number,
    private readonly latency: LatencyMs,
  ) {}

  /** For every role, its link end towards each peer (the runner seam's `mesh`). */
  mesh(roles: readonly string[]): Map<string, Map<string, LinkEnd>> {
    const links = new Map<string, DirectedLink>();
    const linkOf = (from: string, to: string): DirectedLink => {
      const key = `${from}>${to}`;
      let link = links.get(key);
      if (link === undefined) {
        link = { from, to, rng: createRng(this.seed).fork(`sim-link:${key}`), lastArrivalAt: 0, receiver: null, waiting: [], source: `link:${key}`, closed: false };
        links.set(key, link);
      }
      return link;
    };
    return new Map(roles.map((role) => [role, new Map(roles.filter((peer) => peer !== role).map((peer) => [peer, this.end(linkOf(role, peer), linkOf(peer, role))]))]));
  }

  private end(outbound: DirectedLink, inbound: DirectedLink): LinkEnd {
    const close = (): void => {
      outbound.closed = true;
      inbound.closed = true;
    };
    return {
      adopt: (realm): LinkPort => {
        inbound.receiver = { realm, handler: null };
        return {
          postMessage: (value) => this.send(outbound, value),
          listen: (handler) => {
            inbound.receiver!.handler = handler;
            for (const value of inbound.waiting.splice(0)) this.deliver(inbound, value);
          },
          close,
        };
      },
      close,
    };
  }

  private send(link: DirectedLink, value: unknown): void {
    if (link.closed) return;
    const realm = link.receiver?.realm;
    // Both copies throw the same DataCloneError for what cannot be cloned; a closed realm takes no copy.
    const message: InFlight = realm !== undefined && realm.isClosed?.() !== true ? { value: realm.copy(value), inRealm: true } : { value: structuredClone(value), inRealm: false };
    const now = this.world.now();
    const { minMs, maxMs } = this.latency;
    const arrival = Math.max(now + minMs + link.rng.next() * (maxMs - minMs), link.lastArrivalAt);
    link.lastArrivalAt = arrival;
    this.world.schedule(link.to, arrival - now, () => this.arrive(link, message), link.source);
  }

  private arrive(link: DirectedLink, message: InFlight): void {
    // A receiver whose file has ended (its realm gone) is like an ended thread's port: the message is lost.
    if (link.closed || link.receiver?.realm.isClosed?.() === true) return;
    if (link.receiver?.handler == null) link.waiting.push(message);
    else this.deliver(link, message);
  }

  private deliver(link: DirectedLink, message: InFlight): void {
    const receiver = link.receiver!;
    receiver.handler!(message.inRealm ? message.value : receiver.realm.copy(message.value));
  }
}
