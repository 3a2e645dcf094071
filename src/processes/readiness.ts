import { request, type ClientRequest } from 'node:http';
import { connect } from 'node:net';
import type { Clock } from '../util';
import type { Endpoint } from './loopbackListen';
import type { ReadyCheck } from './ProcessSpec';
import { PROCESS_SETTINGS } from './settings';

/** What a node is waiting for, as it reads in a sentence: `a 2xx answer from http://127.0.0.1:4000/health`. */
export function describeReadyCheck(ready: ReadyCheck, endpoint: Endpoint): string {
  if ('http' in ready) return `a 2xx answer from http://${endpoint.host}:${endpoint.port}${ready.http}`;
  if ('log' in ready) return `an output line containing ${JSON.stringify(ready.log)}`;
  return `a TCP connection to ${endpoint.host}:${endpoint.port}`;
}

/**
 * Resolves once the node at `endpoint` passes `ready`, probing every `readyPollMs`; for a log check,
 * once `sawLine` has been told about a matching line. Never rejects; stops probing (and leaves no
 * socket or timer behind) when `signal` aborts. The caller races it against the process's exit and
 * a deadline.
 */
export function waitUntilReady(ready: ReadyCheck, endpoint: Endpoint, clock: Clock, signal: AbortSignal, lines: LineWatch): Promise<void> {
  if ('log' in ready) return lines.until((line) => line.includes(ready.log), signal);
  const probe = 'http' in ready ? (): Probe => httpAnswers2xx(endpoint, ready.http) : (): Probe => tcpAccepts(endpoint);
  return new Promise((resolve) => {
    let timer: { cancel(): void } | null = null;
    let inFlight: Probe | null = null;
    const onAbort = (): void => {
      timer?.cancel();
      inFlight?.cancel();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const attempt = (): void => {
      if (signal.aborted) return;
      inFlight = probe();
      void inFlight.result.then((ok) => {
        inFlight = null;
        if (signal.aborted) return;
        if (ok) {
          signal.removeEventListener('abort', onAbort);
          resolve();
        } else {
          timer = clock.schedule(PROCESS_SETTINGS.readyPollMs, attempt);
        }
      });
    };
    attempt();
  });
}

/** One readiness probe in flight: whether it passed, and a way to abandon it (its socket is destroyed). */
interface Probe {
  readonly result: Promise<boolean>;
  cancel(): void;
}

/** The output lines of a starting node, for log readiness: `until` resolves at the first line that matches. */
export class LineWatch {
  private readonly waiters = new Set<{ match: (line: string) => boolean; resolve: () => void }>();

  /** Feeds one output line (stdout or stderr). */
  line(text: string): void {
    for (const waiter of [...this.waiters]) {
      if (waiter.match(text)) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  /** Resolves at the first line fed after this call that `match`es; forgets the wait when `signal` aborts. */
  until(match: (line: string) => boolean, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const waiter = { match, resolve };
      this.waiters.add(waiter);
      signal.addEventListener('abort', () => this.waiters.delete(waiter), { once: true });
    });
  }
}

function httpAnswers2xx(endpoint: Endpoint, path: string): Probe {
  let req: ClientRequest | null = null;
  const result = new Promise<boolean>((resolve) => {
    req = request({ host: endpoint.host, port: endpoint.port, path, method: 'GET', agent: false, timeout: PROCESS_SETTINGS.readyProbeTimeoutMs }, (res) => {
      const ok = res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300;
      res.resume();
      res.once('end', () => resolve(ok));
      res.once('error', () => resolve(false));
      res.once('close', () => resolve(false));
    });
    req.once('timeout', () => req?.destroy());
    req.once('error', () => resolve(false));
    req.once('close', () => resolve(false));
    req.end();
  });
  return { result, cancel: () => req?.destroy() };
}

function tcpAccepts(endpoint: Endpoint): Probe {
  const socket = connect({ host: endpoint.host, port: endpoint.port, timeout: PROCESS_SETTINGS.readyProbeTimeoutMs });
  const result = new Promise<boolean>((resolve) => {
    socket.once('connect', () => {
      // Close politely (read what the server sends, then FIN): a reset could make a server that
      // does not expect it log an error, or crash on an unhandled socket error.
      socket.resume();
      socket.end();
      resolve(true);
    });
    socket.once('timeout', () => socket.destroy());
    socket.once('error', () => resolve(false));
    socket.once('close', () => resolve(false));
  });
  return { result, cancel: () => socket.destroy() };
}

/**
 * Why a node that was not ready may never have been reachable: when its planned host is not
 * 127.0.0.1 and something accepts connections on 127.0.0.1 at its port, it listens there (the usual
 * `listen(port, 'localhost')`) instead of on `MULTINODE_HOST`. Resolves with a sentence to add to the
 * error, or an empty string.
 */
export async function wrongHostHint(endpoint: Endpoint): Promise<string> {
  if (endpoint.host === '127.0.0.1') return '';
  const listening = await tcpAccepts({ host: '127.0.0.1', port: endpoint.port }).result;
  return listening
    ? ` Something accepts connections on 127.0.0.1:${endpoint.port}, so the node probably listens there instead of on MULTINODE_HOST (${endpoint.host}): listen on MULTINODE_HOST, or on every address.`
    : '';
}
