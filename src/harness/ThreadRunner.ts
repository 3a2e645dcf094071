import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { type Clock, serializeError } from '../util';
import type { RoleThread, RoleThreadPool, ThreadEnd } from './RoleThreadPool';
import type { LeadToRole, RoleToLead, RoleWorkerData } from './protocol';
import type { ControlEnd, LinkEnd, RoleChannel, RoleRunner, RoleStart } from './RoleRunner';

/** How the threads runner starts a role thread. */
export interface ThreadRunnerOptions {
  /** The script each role thread runs (it runs the file with Jest's TestRunner). */
  readonly workerScript: string;
  /** Heap limit of each role thread, in MiB; a role past it is reported as out of memory. */
  readonly roleMemoryMb: number;
  /** The young generation of each role thread, in MiB. */
  readonly roleYoungGenerationMb: number;
  /** Where threads come from and go back to between files. */
  readonly pool: RoleThreadPool;
  /** How many idle threads the pool may keep after this file (0: each thread ends with its file). */
  readonly keepIdle: number;
  /** The clock of the deadline for a thread to say it is idle after its file. */
  readonly clock: Clock;
  /** How long a thread may take to say it is idle after its file before it is ended instead, in ms. */
  readonly settleTimeoutMs: number;
}

/**
 * Threads mode: every non-lead role in its own worker thread, real time, one MessageChannel per pair
 * of roles for node traffic (node traffic never passes through the lead's thread) and one control
 * channel per role. Threads come from a `RoleThreadPool`, so a Jest worker's later files can run on
 * threads that have Jest loaded already.
 */
export class ThreadRunner implements RoleRunner {
  constructor(private readonly options: ThreadRunnerOptions) {}

  mesh(roles: readonly string[]): Map<string, Map<string, LinkEnd>> {
    const mesh = new Map(roles.map((r) => [r, new Map<string, LinkEnd>()]));
    for (let i = 0; i < roles.length; i++) {
      for (let j = i + 1; j < roles.length; j++) {
        const channel = new MessageChannel();
        mesh.get(roles[i]!)!.set(roles[j]!, portLinkEnd(channel.port1));
        mesh.get(roles[j]!)!.set(roles[i]!, portLinkEnd(channel.port2));
      }
    }
    return mesh;
  }

  start(role: string, start: RoleStart, links: ReadonlyMap<string, LinkEnd>): RoleChannel {
    const { pool, roleMemoryMb, roleYoungGenerationMb, workerScript } = this.options;
    const control = new MessageChannel();
    const ports = new Map([...links].map(([peer, end]) => [peer, portOf(end, role, peer)]));
    const data: RoleWorkerData = { ...start, control: control.port2, links: Object.fromEntries(ports) };
    const { thread } = pool.acquire(workerScript, { heapMb: roleMemoryMb, youngGenerationMb: roleYoungGenerationMb });
    const ended: Array<(end: ThreadEnd) => void> = [];
    thread.run(data, [control.port2, ...ports.values()], (end) => ended.forEach((handler) => handler(end)));
    return threadChannel(thread, control.port1, ended, () => pool.release(thread, { clock: this.options.clock, timeoutMs: this.options.settleTimeoutMs, keepIdle: this.options.keepIdle }), roleMemoryMb);
  }
}

/** A link end over one MessagePort (the realm moves the port into its own context). */
export function portLinkEnd(port: MessagePort): LinkEnd & { readonly port: MessagePort } {
  return { port, adopt: (realm) => realm.adoptPort(port), close: () => port.close() };
}

/** A control end over one MessagePort, as a role thread uses it. */
export function portControlEnd<Out, In>(port: MessagePort): ControlEnd<Out, In> {
  return {
    post(message) {
      try {
        port.postMessage(message);
      } catch {
        // The port closed under us during shutdown; nobody listens any more.
      }
    },
    onMessage: (handler) => port.on('message', (message: In | readonly In[]) => (Array.isArray(message) ? message.forEach((one: In) => handler(one)) : handler(message as In))),
    close: () => port.close(),
  };
}

function portOf(end: LinkEnd, role: string, peer: string): MessagePort {
  const port = (end as { port?: unknown }).port;
  if (typeof port !== 'object' || port === null) throw new TypeError(`The link end of role '${role}' towards '${peer}' is not a MessagePort end; the threads runner only starts roles on its own mesh.`);
  return port as MessagePort;
}

function threadChannel(thread: RoleThread, port: MessagePort, ended: Array<(end: ThreadEnd) => void>, release: () => Promise<void>, memoryMb: number): RoleChannel {
  const control = portControlEnd<LeadToRole, RoleToLead>(port);
  return {
    post: control.post,
    onMessage: control.onMessage,
    // A worker's `exit` can come before its last messages; the port's `close` comes after them.
    closed: new Promise((resolve) => port.once('close', () => resolve())),
    onEnded(handler) {
      ended.push((end) => {
        if (end.kind === 'exit') {
          handler(`its thread exited with code ${end.code} before its test file finished`, null, true);
        } else if ((end.error as Error & { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
          handler(`it ran out of memory: its heap passed ${memoryMb} MiB (roleMemoryMb)`, null, false);
        } else {
          handler(`its thread failed: ${end.error.message}`, serializeError(end.error), false);
        }
      });
    },
    terminate: () => thread.terminate(),
    release,
  };
}
