import type { Server } from 'node:net';
import type { Config } from '@jest/types';
import { TraceBuffer, messageCapPerRole } from '../harness';
import { nodeRandom, type NodeClock, type NodeContext, type NodeHandle, type NodeLogger } from '../node';
import { findUncloneable } from '../transport';
import { assertNever, createRng, describeValue, serializeError, type Cancellable, type Clock } from '../util';
import { UncloneableAnswerError, ProcessNodeError } from './nodeProcessErrors';
import type { FramedSocket } from './FramedSocket';
import { loadFactory, type LoadedFactory } from './loadFactory';
import { isFrame, type HarnessToNode, type NodeToHarness, type StartCommand, type TraceBatch } from './protocol';
import { TRACE_BATCH_RECORDS, TRACE_FLUSH_MS } from './processNodeSettings';
import { TcpTransport } from './TcpTransport';

/**
 * The node side of a node process, once its control channel is authenticated: builds the
 * `NodeContext`, starts the node from its factory and serves the harness's commands. One process
 * runs one incarnation; `onDone` is called when the process should exit (after a graceful stop).
 */
export class FactoryNodeRunner {
  private transport: TcpTransport | null = null;
  private trace: TraceBuffer | null = null;
  private handle: NodeHandle | null = null;
  private loaded: LoadedFactory | null = null;
  private role = '?';
  private pendingRecords = 0;
  private flushTimer: Cancellable | null = null;
  private readonly timers = new Set<Cancellable>();

  constructor(
    private readonly control: FramedSocket,
    private readonly server: Server,
    private readonly clock: Clock,
    private readonly onDone: () => void,
  ) {
    control.onFrame((frame) => {
      if (!isFrame(frame)) return;
      void this.serve(frame as HarnessToNode);
    });
  }

  /** Stops every timer and connection this process holds; the process can then exit. */
  shutdown(): void {
    this.flush();
    this.flushTimer?.cancel();
    for (const timer of this.timers) timer.cancel();
    this.timers.clear();
    this.transport?.close();
    this.server.close();
    this.loaded?.release();
  }

  private async serve(command: HarnessToNode): Promise<void> {
    switch (command.type) {
      case 'start':
        return this.start(command);
      case 'stop':
        return this.reply(command.seq, async () => {
          await this.handle?.stop();
          this.handle = null;
        }, () => this.onDone());
      case 'crash':
        return this.reply(command.seq, async () => {
          this.transport?.close();
          await this.handle?.crash?.();
        });
      case 'inspect':
        return this.inspect(command.seq, command.query);
      case 'faults':
        return this.reply(command.seq, () => this.transport?.applyFaults(command.cells));
      case 'peers':
        return this.reply(command.seq, () => this.transport?.setPeers(command.peers));
      case 'test':
        if (this.trace !== null) this.trace.currentTest = command.test;
        return;
      default:
        return assertNever(command);
    }
  }

  private async start(command: StartCommand): Promise<void> {
    if (this.trace !== null) return this.send({ type: 'start-failed', error: serializeError(new ProcessNodeError('ALREADY_STARTED', `The node process of role '${this.role}' was asked to start twice; each incarnation runs in a new process.`)) });
    this.role = command.role;
    const trace = new TraceBuffer(command.role, this.clock, () => undefined, messageCapPerRole(command.roles.length));
    trace.currentTest = command.test;
    this.trace = trace;
    const transport = new TcpTransport({
      role: command.role,
      roles: command.roles,
      server: this.server,
      linkToken: command.linkToken,
      clock: this.clock,
      rng: createRng(command.seed).fork(`links:${command.role}#${command.incarnation}`),
      trace,
      onRecord: () => this.recorded(),
      onRefused: (reason) => this.log('warn', `Refused ${reason}.`),
    });
    transport.applyFaults(command.faults);
    transport.setPeers(command.peers);
    this.transport = transport;
    const ctx: NodeContext = {
      role: command.role,
      roles: command.roles,
      seed: command.seed,
      incarnation: command.incarnation,
      options: command.options,
      clock: this.nodeClock(),
      random: nodeRandom(command.seed, command.role, command.incarnation),
      transport,
      log: (level, message, fields) => this.log(level, message, fields),
    };
    try {
      this.loaded = await loadFactory(command.factoryModule, command.projectConfig as Config.ProjectConfig);
      this.handle = await this.loaded.factory(ctx);
      this.send({ type: 'started' });
    } catch (error) {
      this.send({ type: 'start-failed', error: serializeError(error) });
    }
  }

  private async inspect(seq: number, query: unknown): Promise<void> {
    const handle = this.handle;
    if (handle?.inspect === undefined) {
      const why = handle === null ? 'is not running' : 'has no inspect(query) method; add one to the NodeHandle its factory returns';
      return this.send({ type: 'failed', seq, error: serializeError(new ProcessNodeError('NO_INSPECT', `The node of role '${this.role}' ${why}.`)) });
    }
    try {
      const answer = await handle.inspect(query);
      try {
        this.send({ type: 'answer', seq, answer });
      } catch (error) {
        const found = findUncloneable(answer, 'answer');
        throw new UncloneableAnswerError(this.role, found?.path ?? 'answer', found?.reason ?? `not cloneable (${(error as Error).message})`);
      }
    } catch (error) {
      this.send({ type: 'failed', seq, error: serializeError(error) });
    }
  }

  /** Runs `work` and answers `seq` with done or failed, trace records first; then `after`. */
  private async reply(seq: number, work: () => unknown, after?: () => void): Promise<void> {
    try {
      await work();
      this.send({ type: 'done', seq });
    } catch (error) {
      this.send({ type: 'failed', seq, error: serializeError(error) });
    }
    after?.();
  }

  private log: NodeLogger = (level, message, fields) => {
    const time = this.clock.now();
    try {
      this.send(fields === undefined ? { type: 'log', time, level, message } : { type: 'log', time, level, message, fields });
    } catch {
      this.send({ type: 'log', time, level, message, fields: { unserializable: describeValue(fields) } });
    }
  };

  /** Sends a frame to the harness, after the trace records made before it. */
  private send(frame: NodeToHarness): void {
    if (frame.type !== 'trace') this.flush();
    this.control.send(frame);
  }

  private recorded(): void {
    if (++this.pendingRecords >= TRACE_BATCH_RECORDS) return this.flush();
    this.flushTimer ??= this.clock.schedule(TRACE_FLUSH_MS, () => {
      this.flushTimer = null;
      this.flush();
    });
  }

  private flush(): void {
    this.flushTimer?.cancel();
    this.flushTimer = null;
    if (this.trace === null || this.pendingRecords === 0) return;
    this.pendingRecords = 0;
    const omitted = this.trace.omitted;
    this.trace.omitted = 0;
    this.control.send({ type: 'trace', records: this.trace.drainMessages() as TraceBatch['records'], omitted });
  }

  /** `ctx.clock`: real time; its timers end when the process shuts down. */
  private nodeClock(): NodeClock {
    const track = (start: (run: () => void) => Cancellable, fn: () => void) => {
      const timer = start(() => {
        this.timers.delete(timer);
        fn();
      });
      this.timers.add(timer);
      return {
        cancel: () => {
          this.timers.delete(timer);
          timer.cancel();
        },
      };
    };
    return {
      now: () => this.clock.now(),
      setTimeout: (fn, ms) => track((run) => this.clock.schedule(ms, run), fn),
      setImmediate: (fn) => track((run) => (this.clock.defer ? this.clock.defer(run) : this.clock.schedule(0, run)), fn),
    };
  }
}
