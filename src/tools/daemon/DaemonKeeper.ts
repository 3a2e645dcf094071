import { Actor, Props, Terminated, type ActorContext, type ActorRef } from '../../actors';

/** The message the pinger sends every index through the daemon's region; the keeper swallows it. */
export interface KeepAlive {
  readonly type: 'daemon.KeepAlive';
  readonly index: number;
}

/** @internal Where a keeper reports that its index started or stopped on this node. */
export interface RunningIndexes {
  add(index: number): void;
  delete(index: number): void;
}

/**
 * The sharded entity of one daemon index: starts the user's worker as its child and swallows the
 * keep-alive pings that started it (and keep finding it running). If the worker stops, the keeper
 * stops too, and the next ping starts both again. Stopping the keeper (hand-off, its node downed)
 * stops the worker with it.
 */
export class DaemonKeeper extends Actor {
  private worker: ActorRef | undefined;

  constructor(
    private readonly index: number,
    private readonly workerProps: (index: number) => Props,
    private readonly running: RunningIndexes,
  ) {
    super();
  }

  override preStart(ctx: ActorContext): void {
    this.worker = ctx.spawn(this.workerProps(this.index), `worker-${this.index}`);
    ctx.watch(this.worker);
    this.running.add(this.index);
  }

  override postStop(): void {
    this.running.delete(this.index);
  }

  receive(message: unknown, ctx: ActorContext): void {
    if (message instanceof Terminated && this.worker !== undefined && message.ref.equals(this.worker)) {
      ctx.log.info(`The worker of daemon index ${this.index} stopped; the next keep-alive starts it again.`);
      ctx.stop();
      return;
    }
    // Keep-alive pings (the only messages routed to a keeper) need no answer.
  }
}

/** @internal The props of the keeper of one index. */
export function keeperProps(index: number, workerProps: (index: number) => Props, running: RunningIndexes): Props {
  return Props.create(() => new DaemonKeeper(index, workerProps, running));
}

/** @internal The pinger's own tick. */
interface PingTick {
  readonly type: 'daemon.PingTick';
}

/**
 * Pings every index of a daemon through its region, at once and then every `intervalMs` on the
 * node's clock: a ping to an index that runs nowhere makes sharding allocate its shard and start
 * its keeper. Every node that initialised the daemon runs one, so the liveness check survives any
 * single node.
 */
export class KeepAlivePinger extends Actor {
  constructor(
    private readonly region: ActorRef,
    private readonly numberOfInstances: number,
    private readonly intervalMs: number,
  ) {
    super();
  }

  override preStart(ctx: ActorContext): void {
    const tick: PingTick = { type: 'daemon.PingTick' };
    ctx.timers.startTimerWithFixedDelay('keep-alive', tick, this.intervalMs, 0);
  }

  receive(message: unknown): void {
    if ((message as PingTick | null)?.type !== 'daemon.PingTick') return;
    for (let index = 0; index < this.numberOfInstances; index++) {
      const ping: KeepAlive = { type: 'daemon.KeepAlive', index };
      this.region.tell(ping);
    }
  }
}

/** @internal The props of a daemon's pinger. */
export function pingerProps(region: ActorRef, numberOfInstances: number, intervalMs: number): Props {
  return Props.create(() => new KeepAlivePinger(region, numberOfInstances, intervalMs));
}
