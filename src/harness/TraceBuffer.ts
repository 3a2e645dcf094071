import type { Clock } from '../util';
import type { LogLevel } from '../node';
import type { FaultCommand, RoleOutcome, TraceEvent } from './traceTypes';

/** A message as its sender recorded it; merged with the receiver's record into a `message` event. */
export interface MessageSendRecord {
  readonly type: 'msg-send';
  readonly time: number;
  readonly role: string;
  readonly lamport: number;
  readonly test: string | null;
  readonly to: string;
  readonly seq: number;
  readonly dropped: 'partition' | 'blackhole' | 'drop' | 'crashed' | null;
  readonly delayMs: number;
  readonly preview: string;
}

/** A message as its receiver recorded it. */
export interface MessageReceiveRecord {
  readonly type: 'msg-recv';
  readonly time: number;
  readonly role: string;
  readonly lamport: number;
  readonly from: string;
  readonly seq: number;
}

/** What a role thread records: trace events, with messages split into their two halves. */
export type RawTraceEvent = Exclude<TraceEvent, { type: 'message' }> | MessageSendRecord | MessageReceiveRecord;

/** Distributes `Omit` over a union, so each member keeps its own fields. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** The fields a caller gives when recording a non-message event. */
export type EventInput = DistributiveOmit<Exclude<TraceEvent, { type: 'message' }>, 'time' | 'role' | 'lamport' | 'test'>;

/**
 * How many message sends one role records per test (and before its first test), so that a file's
 * trace holds at most about 60,000 per test whatever its number of roles. Every role ships its
 * records to the lead when a test ends, and the lead's thread is Jest's own and also runs the lead's
 * node: at 32 roles a per-role cap of 20,000 meant a burst of over a million records there at the end
 * of the first test, a stall long enough for the other nodes to see the lead unreachable.
 */
export function messageCapPerRole(roleCount: number): number {
  return Math.max(1_000, Math.min(20_000, Math.floor(60_000 / Math.max(1, roleCount))));
}

/**
 * One role's trace recorder: the role's Lamport clock, the running test, and a buffer of events.
 * Messages are buffered (they are many) and shipped in batches; other events go to `onEvent` at once
 * so the conductor always knows what each role was last doing.
 */
export class TraceBuffer {
  private lamport = 0;
  private messages: RawTraceEvent[] = [];
  private messageCount = 0;
  /** Messages not recorded because the per-test `maxMessages` cap was reached. */
  omitted = 0;
  private test: string | null = null;

  /** The id of the test this role is running, or null. Each test gets its own message cap. */
  get currentTest(): string | null {
    return this.test;
  }

  set currentTest(id: string | null) {
    if (id !== null && id !== this.test) this.messageCount = 0;
    this.test = id;
  }

  constructor(
    readonly role: string,
    private readonly clock: Clock,
    private readonly onEvent: (event: RawTraceEvent) => void,
    private readonly maxMessages = 20_000,
  ) {}

  /** Advances the Lamport clock for a local event or a send, and returns the new value. */
  tick(): number {
    return ++this.lamport;
  }

  /** Merges a received Lamport time and returns the new local value. */
  receive(remote: number): number {
    this.lamport = Math.max(this.lamport, remote) + 1;
    return this.lamport;
  }

  /** Records a non-message event and forwards it at once. */
  record(input: EventInput): void {
    this.recordAt(input, this.clock.now());
  }

  /** Records a non-message event that happened at `time` (seen elsewhere first: a node process's line). */
  recordAt(input: EventInput, time: number): void {
    const event = { ...input, time, role: this.role, lamport: this.tick(), test: this.currentTest } as RawTraceEvent;
    this.onEvent(event);
  }

  /** Shorthand for a log event. */
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
    this.record(fields === undefined ? { type: 'log', level, message } : { type: 'log', level, message, fields });
  }

  /** Shorthand for recording a fault. */
  fault(fault: FaultCommand): void {
    this.record({ type: 'fault', fault });
  }

  /** Shorthand for a test boundary. */
  testEnd(status: RoleOutcome): void {
    this.record({ type: 'test-end', status });
  }

  /** Buffers one half of a message record, unless the cap is reached. */
  message(record: MessageSendRecord | MessageReceiveRecord): void {
    if (this.messageCount >= this.maxMessages) {
      if (record.type === 'msg-send') this.omitted++;
      return;
    }
    if (record.type === 'msg-send') this.messageCount++;
    this.messages.push(record);
  }

  /** Takes the buffered message records. */
  drainMessages(): RawTraceEvent[] {
    const taken = this.messages;
    this.messages = [];
    return taken;
  }
}
