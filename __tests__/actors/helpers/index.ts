import type { ActorEventMap, ActorSystem, Logger, LogLevel } from '../../../src/actors';

export { FakeClock } from './FakeClock';

/** One captured log line. */
export interface LogLine {
  readonly level: LogLevel;
  readonly message: string;
  readonly fields: Record<string, unknown> | undefined;
}

/** A logger that records lines, for assertions and for keeping test output quiet. */
export function captureLogger(): Logger & { readonly lines: LogLine[]; text(): string } {
  const lines: LogLine[] = [];
  const log = ((level: LogLevel, message: string, fields?: Record<string, unknown>) => {
    lines.push({ level, message, fields });
  }) as Logger & { lines: LogLine[]; text(): string };
  log.lines = lines;
  log.text = () => lines.map((line) => `${line.level} ${line.message}`).join('\n');
  return log;
}

/** Rejects after `timeoutMs` of real time with a message saying what was awaited. */
export function withDeadline<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let handle: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    handle = setTimeout(() => reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`)), timeoutMs);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(handle));
}

/** Resolves with the next event of `type` that matches `predicate`, or rejects at the deadline. */
export function nextEvent<K extends keyof ActorEventMap>(
  system: ActorSystem,
  type: K,
  predicate: (event: ActorEventMap[K]) => boolean = () => true,
  timeoutMs = 2000,
): Promise<ActorEventMap[K]> {
  let unsubscribe: () => void = () => undefined;
  const event = new Promise<ActorEventMap[K]>((resolve) => {
    unsubscribe = system.eventStream.subscribe(type, (e) => {
      if (predicate(e)) resolve(e);
    });
  });
  return withDeadline(event, timeoutMs, `a ${String(type)} event`).finally(() => unsubscribe());
}

/** Polls `condition` on every macrotask until it holds, or rejects at the deadline. */
export async function until(condition: () => boolean, what: string, timeoutMs = 2000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out after ${timeoutMs} ms waiting until ${what}.`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
