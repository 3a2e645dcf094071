/**
 * The fault state of every link and node, in a SharedArrayBuffer that every role's thread maps.
 * Only the conductor (lead thread) writes; senders read it on every send without a round trip, so a
 * fault is in force on all roles the moment the conductor's write returns.
 *
 * Layout (Int32 cells): for each ordered pair (from, to) a link record of LINK_FIELDS cells, then
 * for each role a node record of NODE_FIELDS cells.
 */

/** Link flag: the link is cut by a partition. */
export const LINK_PARTITIONED = 1;
/** Link flag: the link is cut one way by a blackhole. */
export const LINK_BLACKHOLED = 2;

/** The state of a role's node as links see it. */
export type NodeState = 'running' | 'crashed' | 'departed' | 'terminated';
const NODE_STATES: readonly NodeState[] = ['running', 'crashed', 'departed', 'terminated'];

const LINK_FIELDS = 4; // flags, delayMinMs, delayMaxMs, dropPpm
const NODE_FIELDS = 2; // state, incarnation
const PPM = 1_000_000;

/** What a sender needs to know about one link, read at send time. */
export interface LinkFaults {
  readonly flags: number;
  readonly delayMinMs: number;
  readonly delayMaxMs: number;
  /** Drop probability in [0, 1]. */
  readonly dropProbability: number;
}

/** A view of the shared fault state; construct one per thread over the same buffer. */
export class FaultTable {
  /** The shared memory; pass it to role threads in `workerData`. */
  readonly buffer: SharedArrayBuffer;
  private readonly cells: Int32Array;
  private readonly size: number;

  /** Creates a fresh table for `roleCount` roles, or maps an existing buffer. */
  constructor(roleCount: number, buffer?: SharedArrayBuffer) {
    this.size = roleCount;
    const cellCount = roleCount * roleCount * LINK_FIELDS + roleCount * NODE_FIELDS;
    this.buffer = buffer ?? new SharedArrayBuffer(cellCount * Int32Array.BYTES_PER_ELEMENT);
    this.cells = new Int32Array(this.buffer);
    if (this.cells.length !== cellCount) {
      throw new RangeError(`The fault table buffer holds ${this.cells.length} cells but ${roleCount} roles need ${cellCount}.`);
    }
  }

  private link(from: number, to: number): number {
    return (from * this.size + to) * LINK_FIELDS;
  }

  private node(index: number): number {
    return this.size * this.size * LINK_FIELDS + index * NODE_FIELDS;
  }

  /** The faults on the one-way link `from -> to` (role indexes). */
  linkFaults(from: number, to: number): LinkFaults {
    const at = this.link(from, to);
    return {
      flags: Atomics.load(this.cells, at),
      delayMinMs: Atomics.load(this.cells, at + 1),
      delayMaxMs: Atomics.load(this.cells, at + 2),
      dropProbability: Atomics.load(this.cells, at + 3) / PPM,
    };
  }

  /** Whether the one-way link `from -> to` has no fault at all (the send path's fast check). */
  isLinkClean(from: number, to: number): boolean {
    const at = this.link(from, to);
    for (let i = 0; i < LINK_FIELDS; i++) if (Atomics.load(this.cells, at + i) !== 0) return false;
    return true;
  }

  /** Sets or clears `flag` on `from -> to`. Returns whether anything changed. */
  setFlag(from: number, to: number, flag: number, on: boolean): boolean {
    const at = this.link(from, to);
    const before = Atomics.load(this.cells, at);
    const after = on ? before | flag : before & ~flag;
    Atomics.store(this.cells, at, after);
    return before !== after;
  }

  /** Sets the delay range of `from -> to` (0, 0 clears it). */
  setDelay(from: number, to: number, minMs: number, maxMs: number): void {
    const at = this.link(from, to);
    Atomics.store(this.cells, at + 1, Math.round(minMs));
    Atomics.store(this.cells, at + 2, Math.round(maxMs));
  }

  /** Sets the drop probability of `from -> to` (0 clears it). */
  setDrop(from: number, to: number, probability: number): void {
    Atomics.store(this.cells, this.link(from, to) + 3, Math.round(probability * PPM));
  }

  /** Clears every link fault between `from` and `to`, one way. */
  clearLink(from: number, to: number): void {
    const at = this.link(from, to);
    for (let i = 0; i < LINK_FIELDS; i++) Atomics.store(this.cells, at + i, 0);
  }

  /** The state of role `index`'s node. */
  nodeState(index: number): NodeState {
    return NODE_STATES[Atomics.load(this.cells, this.node(index))] ?? 'running';
  }

  /** Sets the state of role `index`'s node. */
  setNodeState(index: number, state: NodeState): void {
    Atomics.store(this.cells, this.node(index), NODE_STATES.indexOf(state));
  }

  /** The incarnation of role `index`'s current node. */
  incarnation(index: number): number {
    return Atomics.load(this.cells, this.node(index) + 1);
  }

  /** Records a new incarnation for role `index`. */
  setIncarnation(index: number, incarnation: number): void {
    Atomics.store(this.cells, this.node(index) + 1, incarnation);
  }

  /** How many roles have a running node. */
  runningCount(): number {
    let count = 0;
    for (let i = 0; i < this.size; i++) if (this.nodeState(i) === 'running') count++;
    return count;
  }
}
