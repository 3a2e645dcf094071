import { MultinodeError, type Cancellable, type Clock } from '../util';
import { Actor } from './Actor';
import type { ActorContext } from './ActorContext';
import type { ActorRef } from './ActorRef';
import type { ActorSystem } from './ActorSystem';
import { checkDuration, describeMessageType } from './errors';
import { Props } from './Props';
import { Terminated } from './Terminated';

/** A `TestProbe` expectation that was not met in time. */
export class ProbeTimeoutError extends MultinodeError {
  constructor(message: string) {
    super('PROBE_TIMEOUT', message);
  }
}

/** Options of `TestProbe.create`. */
export interface TestProbeOptions {
  /** Name under `/system`; default `testProbe-<n>`. */
  readonly name?: string;
  /** Clock for deadlines; defaults to the system's. Pass the real clock when the system runs on a fake one. */
  readonly clock?: Clock;
  /** Deadline of expectations called without one; default 3000 ms. */
  readonly defaultTimeoutMs?: number;
}

interface Received {
  readonly message: unknown;
  readonly sender: ActorRef | undefined;
}

interface Waiter {
  deliver(received: Received): void;
}

class WatchCommand {
  constructor(
    readonly ref: ActorRef,
    readonly watch: boolean,
    readonly done: () => void,
  ) {}
}

class ProbeActor extends Actor {
  constructor(private readonly sink: (received: Received) => void) {
    super();
  }

  receive(message: unknown, ctx: ActorContext): void {
    if (message instanceof WatchCommand) {
      if (message.watch) ctx.watch(message.ref);
      else ctx.unwatch(message.ref);
      message.done();
      return;
    }
    this.sink({ message, sender: ctx.sender });
  }
}

let probeCounter = 0;

/**
 * An actor for tests that records what it receives, with expectations that wait for a message
 * with a deadline instead of sleeping. Use `probe.ref` as a sender, a reply target or a watcher.
 */
export class TestProbe {
  /** The probe's ref. */
  readonly ref: ActorRef;
  private readonly clock: Clock;
  private readonly defaultTimeoutMs: number;
  private readonly queue: Received[] = [];
  private waiter: Waiter | undefined;
  private receivedCount = 0;
  private last: Received | undefined;

  private constructor(system: ActorSystem, options: TestProbeOptions) {
    this.clock = options.clock ?? system.clock;
    this.defaultTimeoutMs = options.defaultTimeoutMs ?? 3000;
    this.ref = system.systemSpawn(
      Props.create(() => new ProbeActor((received) => this.push(received))),
      options.name ?? `testProbe-${++probeCounter}`,
    );
  }

  /** Spawns a probe in `system`. */
  static create(system: ActorSystem, options: TestProbeOptions = {}): TestProbe {
    return new TestProbe(system, options);
  }

  /** The sender of the last message taken by an expectation. */
  get lastSender(): ActorRef | undefined {
    return this.last?.sender;
  }

  /** Messages received and not yet taken by an expectation. */
  get pending(): number {
    return this.queue.length;
  }

  /** Resolves with the next message; rejects with `ProbeTimeoutError` after `timeoutMs`. */
  expectMessage<T = unknown>(timeoutMs: number = this.defaultTimeoutMs): Promise<T> {
    return this.fishForMessage<T>(() => true, timeoutMs, 'any message');
  }

  /**
   * Resolves with the first message for which `predicate` is true, discarding the others before
   * it; rejects with `ProbeTimeoutError` after `timeoutMs`, listing what it skipped.
   */
  fishForMessage<T = unknown>(predicate: (message: unknown) => boolean, timeoutMs: number = this.defaultTimeoutMs, what = 'a matching message'): Promise<T> {
    checkDuration('timeoutMs', timeoutMs, true);
    const skipped: string[] = [];
    const take = (received: Received): boolean => {
      if (!predicate(received.message)) {
        skipped.push(describeMessageType(received.message));
        return false;
      }
      this.last = received;
      return true;
    };
    while (this.queue.length > 0) {
      const received = this.queue.shift() as Received;
      if (take(received)) return Promise.resolve(received.message as T);
    }
    if (this.waiter !== undefined) return Promise.reject(new ProbeTimeoutError(`TestProbe ${this.ref.toString()} is already waiting; await one expectation at a time.`));
    return new Promise<T>((resolve, reject) => {
      let timer: Cancellable | undefined;
      this.waiter = {
        deliver: (received) => {
          if (!take(received)) return;
          this.waiter = undefined;
          timer?.cancel();
          resolve(received.message as T);
        },
      };
      timer = this.clock.schedule(timeoutMs, () => {
        this.waiter = undefined;
        const seen = skipped.length === 0 ? '' : `; it skipped ${skipped.length}: ${skipped.slice(-5).join(', ')}`;
        reject(
          new ProbeTimeoutError(
            `TestProbe ${this.ref.toString()} did not receive ${what} within ${timeoutMs} ms ` +
              `(${this.receivedCount} message(s) received in total${seen}).`,
          ),
        );
      });
    });
  }

  /**
   * Watches `ref` and resolves with its `Terminated` notice. To see `existenceConfirmed: true`,
   * `await probe.watch(ref)` before stopping the actor.
   */
  expectTerminated(ref: ActorRef, timeoutMs: number = this.defaultTimeoutMs): Promise<Terminated> {
    void this.watch(ref);
    return this.fishForMessage<Terminated>(
      (message) => message instanceof Terminated && message.ref.equals(ref),
      timeoutMs,
      `Terminated for ${ref.toString()}`,
    );
  }

  /** Makes the probe watch `ref`; resolves once the watch is in place. `Terminated` then arrives as a message. */
  watch(ref: ActorRef): Promise<void> {
    return new Promise((resolve) => this.ref.tell(new WatchCommand(ref, true, resolve)));
  }

  /** Cancels `watch`; resolves once no `Terminated` for `ref` can arrive any more. */
  unwatch(ref: ActorRef): Promise<void> {
    return new Promise((resolve) => this.ref.tell(new WatchCommand(ref, false, resolve)));
  }

  /** Replies to the sender of the last message taken, with the probe as sender. */
  reply(message: unknown): void {
    const sender = this.last?.sender;
    if (sender === undefined) throw new MultinodeError('PROBE_NO_SENDER', `TestProbe ${this.ref.toString()} has no sender to reply to: take a message with a sender first.`);
    sender.tell(message, this.ref);
  }

  private push(received: Received): void {
    this.receivedCount++;
    if (this.waiter !== undefined) {
      const waiter = this.waiter;
      waiter.deliver(received);
      return;
    }
    this.queue.push(received);
  }
}
