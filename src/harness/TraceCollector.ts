import type { MessageReceiveRecord, MessageSendRecord, RawTraceEvent } from './TraceBuffer';
import type { FileTrace, RoleError, RunMode, TestTrace, TraceEvent } from './traceTypes';

/** Header fields of a file trace. */
export interface TraceHeader {
  /** Relative to the project's `rootDir`, with `/` separators. */
  readonly testPath: string;
  readonly roles: readonly string[];
  readonly seed: number;
  readonly mode: RunMode;
  readonly modeFromEnv: boolean;
  readonly startedAt: number;
}

/** A log line as barrier timeout messages quote it. */
export interface TraceLogLine {
  readonly message: string;
  readonly time: number;
}

/** What the lead has seen a role do lately (see `TraceCollector.activity`). */
export interface RoleActivity {
  readonly lastEvent: TraceEvent | null;
  /** Oldest first. */
  readonly lastLogs: readonly TraceLogLine[];
  /** The barrier or gather the role entered last, unless it has left it since. */
  readonly openBarrier: { readonly name: string; readonly site: string | null; readonly time: number } | null;
}

/**
 * Gathers the raw events of every role on the lead and builds the file's trace: message halves
 * are paired by (sender, sequence number) into one `message` event with send and receive times.
 */
export class TraceCollector {
  private readonly events: TraceEvent[] = [];
  private readonly sends: MessageSendRecord[] = [];
  private readonly receipts = new Map<string, MessageReceiveRecord>();
  private readonly tests: TestTrace[] = [];
  private readonly roleErrors: RoleError[] = [];
  private readonly omittedByRole = new Map<string, number>();

  /**
   * @param onEvent sees every event but message halves as it arrives, from every role (the lead's
   *   own too), for views of the run while it runs; it must not throw.
   */
  constructor(
    private readonly header: TraceHeader,
    private readonly onEvent: ((event: TraceEvent) => void) | null = null,
  ) {}

  /** Adds raw events from one role. */
  add(events: readonly RawTraceEvent[]): void {
    for (const event of events) {
      switch (event.type) {
        case 'msg-send':
          this.sends.push(event);
          break;
        case 'msg-recv':
          this.receipts.set(`${event.from}\u0000${event.seq}`, event);
          break;
        default:
          this.events.push(event);
          this.onEvent?.(event);
      }
    }
  }

  /** Records how many messages a role left out of its trace (a running total). */
  omitted(role: string, count: number): void {
    this.omittedByRole.set(role, count);
  }

  /** Adds a finished test with its per-role results. */
  addTest(test: TestTrace): void {
    // A retried test (jest.retryTimes) is recorded once per attempt; Jest reports the last one.
    const earlier = this.tests.findIndex((t) => t.id === test.id);
    if (earlier >= 0) this.tests.splice(earlier, 1);
    this.tests.push(test);
  }

  /** Records a whole-role failure. */
  addRoleError(error: RoleError): void {
    this.roleErrors.push(error);
  }

  /**
   * What the lead has seen `role` do lately, for barrier timeout messages: its last event (node
   * messages reach the lead only at the end of a test, so they are not counted), its last
   * `maxLogs` log lines, and the barrier or gather it entered last if it has not left it.
   */
  activity(role: string, maxLogs = 3): RoleActivity {
    let lastEvent: TraceEvent | null = null;
    const lastLogs: TraceLogLine[] = [];
    let openBarrier: RoleActivity['openBarrier'] | undefined;
    for (let i = this.events.length - 1; i >= 0 && (lastLogs.length < maxLogs || openBarrier === undefined); i--) {
      const event = this.events[i]!;
      if (event.role !== role) continue;
      lastEvent ??= event;
      if (event.type === 'log' && lastLogs.length < maxLogs) lastLogs.unshift({ message: event.message, time: event.time });
      if (openBarrier === undefined && event.type === 'barrier-leave') openBarrier = null;
      if (openBarrier === undefined && event.type === 'barrier-enter') openBarrier = { name: event.name, site: event.site ?? null, time: event.time };
    }
    return { lastEvent, lastLogs, openBarrier: openBarrier ?? null };
  }

  /** Builds the trace of the file. */
  build(finishedAt: number): FileTrace {
    const messages: TraceEvent[] = this.sends.map((send) => {
      const receipt = this.receipts.get(`${send.role}\u0000${send.seq}`);
      return {
        type: 'message',
        time: send.time,
        role: send.role,
        lamport: send.lamport,
        test: send.test,
        to: send.to,
        seq: send.seq,
        receivedAt: receipt?.time ?? null,
        receiveLamport: receipt?.lamport ?? null,
        dropped: send.dropped,
        delayMs: send.delayMs,
        preview: send.preview,
      };
    });
    const events = [...this.events, ...messages].sort((a, b) => a.time - b.time || a.lamport - b.lamport);
    let omitted = 0;
    for (const count of this.omittedByRole.values()) omitted += count;
    return {
      version: 2,
      ...this.header,
      finishedAt,
      tests: this.tests,
      events,
      roleErrors: this.roleErrors,
      messagesOmitted: omitted,
    };
  }
}
