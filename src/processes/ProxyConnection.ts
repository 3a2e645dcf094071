import { connect, type Socket } from 'node:net';
import { LINK_PARTITIONED } from '../harness';
import type { Cancellable, Clock, Rng } from '../util';
import type { FaultReader } from './faultReader';
import type { Endpoint } from './loopbackListen';
import type { ChunkFate, ProxyEventListener, ProxyRefuseReason, ProxyResetReason } from './proxyEvents';
import { ProxyPipe, type PipeOwner } from './ProxyPipe';

/** What a connection needs from its proxy. */
export interface ConnectionHost {
  readonly dialer: string;
  readonly target: string;
  readonly clock: Clock;
  readonly faults: FaultReader;
  readonly maxHeldBytes: number;
  readonly connectTimeoutMs: number;
  readonly listener: ProxyEventListener | undefined;
  /** Called once, when both sockets are closed. */
  done(connection: ProxyConnection): void;
}

/**
 * Why a connection between the proxy's two roles may not exist right now, or `null`: a partition
 * (either direction) or a node that is not running. Read from the live fault state.
 */
export function cutReason(faults: FaultReader, dialer: string, target: string): Exclude<ProxyRefuseReason, 'unreachable' | 'closing'> | null {
  if ((faults.linkFaults(dialer, target).flags & LINK_PARTITIONED) !== 0) return 'partition';
  if ((faults.linkFaults(target, dialer).flags & LINK_PARTITIONED) !== 0) return 'partition';
  const targetState = faults.nodeState(target);
  if (targetState !== 'running') return targetState;
  const dialerState = faults.nodeState(dialer);
  return dialerState === 'running' ? null : dialerState;
}

/**
 * One accepted connection: dials the target's real endpoint, then runs one `ProxyPipe` per
 * direction. A refused or reset connection gets a TCP RST on both sockets, so each side sees
 * ECONNRESET at once rather than a clean end of stream it could mistake for a complete reply.
 */
export class ProxyConnection implements PipeOwner {
  private upstream: Socket | null = null;
  private pipes: readonly ProxyPipe[] = [];
  private state: 'dialling' | 'open' | 'finished' = 'dialling';
  private connectTimer: Cancellable | null = null;
  private openSockets = 1;
  /** Resolves when both sockets are closed. */
  readonly closed: Promise<void>;
  private resolveClosed!: () => void;
  readonly chunk: PipeOwner['chunk'];

  constructor(
    private readonly host: ConnectionHost,
    /** The connection's number within its proxy, from 1. */
    readonly id: number,
    private readonly downstream: Socket,
    private readonly rng: Rng,
  ) {
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    const listener = host.listener;
    this.chunk =
      listener === undefined
        ? undefined
        : (from, to, bytes, fate: ChunkFate, delayMs) =>
            listener({ type: 'chunk', time: host.clock.now(), dialer: host.dialer, target: host.target, connection: id, from, to, bytes, fate, delayMs });
    this.track(downstream, 'dialer-error');
  }

  get clock(): Clock {
    return this.host.clock;
  }

  get faults(): FaultReader {
    return this.host.faults;
  }

  get maxHeldBytes(): number {
    return this.host.maxHeldBytes;
  }

  /** Refuses at once when the pair is cut or `closing`; otherwise dials `target`. */
  start(target: Endpoint, closing: boolean): void {
    const cut = closing ? 'closing' : cutReason(this.host.faults, this.host.dialer, this.host.target);
    if (cut !== null) return this.refuse(cut);
    const upstream = connect({ host: target.host, port: target.port, allowHalfOpen: true, noDelay: true });
    this.upstream = upstream;
    this.openSockets++;
    this.track(upstream, 'target-error');
    this.connectTimer = this.host.clock.schedule(this.host.connectTimeoutMs, () => this.refuse('unreachable', `no answer within ${this.host.connectTimeoutMs} ms`));
    upstream.once('connect', () => this.onConnect(upstream));
  }

  /** Re-reads the fault state: resets the connection if its pair is now cut or a healed blackhole had discarded bytes. */
  faultsChanged(): void {
    if (this.state === 'finished') return;
    const cut = cutReason(this.host.faults, this.host.dialer, this.host.target);
    if (cut !== null) {
      if (this.state === 'dialling') this.refuse(cut);
      else this.reset(cut);
      return;
    }
    if (this.pipes.some((pipe) => pipe.healedAfterDiscard())) this.reset('blackhole-healed');
  }

  /** Resets both sockets (TCP RST) and reports why; a no-op once finished. */
  reset(reason: ProxyResetReason, detail?: string): void {
    if (this.state === 'finished') return;
    if (this.state === 'dialling') return this.refuse(reason === 'closing' || reason === 'dialer-error' ? reason : 'unreachable', detail);
    this.finish();
    this.emit({ type: 'reset', reason, ...(detail === undefined ? {} : { detail }) });
  }

  private refuse(reason: ProxyRefuseReason, detail?: string): void {
    if (this.state === 'finished') return;
    this.finish();
    this.emit({ type: 'refused', reason, ...(detail === undefined ? {} : { detail }) });
  }

  private onConnect(upstream: Socket): void {
    this.connectTimer?.cancel();
    this.connectTimer = null;
    if (this.state !== 'dialling') return;
    // The faults may have changed while dialling.
    const cut = cutReason(this.host.faults, this.host.dialer, this.host.target);
    if (cut !== null) return this.refuse(cut);
    this.state = 'open';
    const { dialer, target } = this.host;
    this.pipes = [
      new ProxyPipe(this, this.downstream, upstream, dialer, target, this.rng.fork(`${dialer}->${target}`)),
      new ProxyPipe(this, upstream, this.downstream, target, dialer, this.rng.fork(`${target}->${dialer}`)),
    ];
    this.emit({ type: 'opened' });
    for (const pipe of this.pipes) pipe.start();
  }

  private finish(): void {
    this.state = 'finished';
    this.connectTimer?.cancel();
    this.connectTimer = null;
    for (const pipe of this.pipes) pipe.stop();
    abort(this.downstream);
    if (this.upstream !== null) abort(this.upstream);
  }

  private track(socket: Socket, errorReason: 'dialer-error' | 'target-error'): void {
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (this.state === 'dialling' && errorReason === 'target-error') this.refuse('unreachable', error.code ?? error.message);
      else this.reset(errorReason, error.code ?? error.message);
    });
    socket.once('close', () => {
      if (--this.openSockets > 0) return;
      if (this.state !== 'finished') {
        this.finish();
        this.emit({ type: 'closed' });
      }
      this.host.done(this);
      this.resolveClosed();
    });
  }

  private emit(event: { type: 'opened' } | { type: 'closed' } | { type: 'refused'; reason: ProxyRefuseReason; detail?: string } | { type: 'reset'; reason: ProxyResetReason; detail?: string }): void {
    const listener = this.host.listener;
    if (listener === undefined) return;
    listener({ ...event, time: this.host.clock.now(), dialer: this.host.dialer, target: this.host.target, connection: this.id });
  }
}

/**
 * Ends a socket at once: a RST when it is connected, a plain destroy while it is still connecting or
 * while the end of its stream is still being sent. libuv cannot reset a socket whose shutdown is in
 * progress: it reports an error and never closes the handle, so `close()` would wait forever. Its
 * peer gets the end of the stream, and a RST at its next write.
 */
function abort(socket: Socket): void {
  if (socket.destroyed) return;
  if (socket.connecting || socket.writableEnded) socket.destroy();
  else socket.resetAndDestroy();
}
