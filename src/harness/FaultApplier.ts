import { assertNever } from '../util';
import { LINK_BLACKHOLED, LINK_PARTITIONED, type FaultTable } from './FaultTable';
import type { NodeOp } from './protocol';
import type { FaultCommand } from './traceTypes';
import { NodeError, RoleTerminatedError } from './errors';

/** What applying faults needs from the conductor. */
export interface FaultHost {
  /** Every role, lead first. */
  readonly roles: readonly string[];
  /** The role's index in the fault table. */
  indexOf(role: string): number;
  /** Whether the role's thread was ended (it has no node any more). */
  isTerminated(role: string): boolean;
  /** Runs a node operation on the role's node host and resolves when it is done. */
  nodeOp(role: string, op: NodeOp, incarnation: number): Promise<void>;
  /** Called after link faults changed in the table; resolves once every node applies them (processes mode). */
  linksChanged(): Promise<void>;
}

/**
 * Applies fault commands as conductor operations: link faults are written to the shared fault
 * table, which every sender reads; node faults (crash, restart, leave) run on the role's node host and
 * keep the table's node state and incarnation in step. Commands run one at a time, in call order.
 */
export class FaultApplier {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly table: FaultTable,
    private readonly host: FaultHost,
  ) {}

  /** Applies `command` after every earlier command; resolves once it is in force on every role. */
  apply(command: FaultCommand): Promise<void> {
    const run = this.queue.then(() => this.run(command));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run(command: FaultCommand): Promise<void> {
    await this.write(command);
    if (command.kind !== 'crash' && command.kind !== 'restart' && command.kind !== 'leave') await this.host.linksChanged();
  }

  private async write(command: FaultCommand): Promise<void> {
    const idx = (role: string): number => this.host.indexOf(role);
    const pairs = (a: readonly string[], b: readonly string[]): Array<[number, number]> =>
      a.flatMap((x) => b.filter((y) => y !== x).map((y): [number, number] => [idx(x), idx(y)]));
    switch (command.kind) {
      case 'partition':
        for (const [a, b] of pairs(command.sideA, command.sideB)) {
          this.table.setFlag(a, b, LINK_PARTITIONED, true);
          this.table.setFlag(b, a, LINK_PARTITIONED, true);
        }
        return;
      case 'blackhole':
        if (command.from !== command.to) this.table.setFlag(idx(command.from), idx(command.to), LINK_BLACKHOLED, true);
        return;
      case 'heal': {
        const sideA = command.sideA ?? this.host.roles;
        const sideB = command.sideB ?? this.host.roles;
        for (const [a, b] of pairs(sideA, sideB)) {
          this.table.clearLink(a, b);
          this.table.clearLink(b, a);
        }
        return;
      }
      case 'delay':
        this.table.setDelay(idx(command.from), idx(command.to), command.minMs, command.maxMs);
        return;
      case 'drop':
        this.table.setDrop(idx(command.from), idx(command.to), command.probability);
        return;
      case 'crash':
      case 'restart':
      case 'leave':
        return this.nodeFault(command.kind, command.role);
      default:
        assertNever(command, 'fault');
    }
  }

  private async nodeFault(kind: 'crash' | 'restart' | 'leave', role: string): Promise<void> {
    const index = this.host.indexOf(role);
    if (this.host.isTerminated(role)) {
      throw new RoleTerminatedError(`fault.${kind}('${role}') cannot act: role '${role}' was terminated, so it has no node any more.`);
    }
    const state = this.table.nodeState(index);
    if (kind === 'leave') {
      if (state !== 'running') return;
      await this.host.nodeOp(role, 'stop', this.table.incarnation(index));
      this.table.setNodeState(index, 'departed');
      return;
    }
    if (state === 'running') {
      this.table.setNodeState(index, 'crashed');
      await this.host.nodeOp(role, 'crash', this.table.incarnation(index));
    }
    if (kind === 'crash') return;
    const incarnation = this.table.incarnation(index) + 1;
    this.table.setIncarnation(index, incarnation);
    this.table.setNodeState(index, 'running');
    try {
      await this.host.nodeOp(role, 'start', incarnation);
    } catch (error) {
      this.table.setNodeState(index, 'crashed');
      throw new NodeError(`fault.restart('${role}') could not start incarnation ${incarnation}: ${(error as Error).message}`);
    }
  }
}
