import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { serializeError } from '../util';
import type { LeadToRole, RoleToLead, RoleWorkerData } from './protocol';
import type { ControlEnd, LinkEnd, RoleChannel, RoleRunner, RoleStart } from './RoleRunner';

/** How the threads runner starts a role thread. */
export interface ThreadRunnerOptions {
  /** The script each role thread runs (it runs the file with Jest's TestRunner). */
  readonly workerScript: string;
  /** Heap limit of each role thread, in MiB; a role past it is reported as out of memory. */
  readonly roleMemoryMb: number;
}

/**
 * Threads mode: every non-lead role in its own worker thread, real time, one MessageChannel per pair
 * of roles for node traffic (node traffic never passes through the lead's thread) and one control
 * channel per role.
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
    const control = new MessageChannel();
    const ports = new Map([...links].map(([peer, end]) => [peer, portOf(end, role, peer)]));
    const data: RoleWorkerData = { ...start, kind: 'jest-environment-multinode/role', control: control.port2, links: Object.fromEntries(ports) };
    const worker = new Worker(this.options.workerScript, {
      workerData: data,
      transferList: [control.port2, ...ports.values()],
      stdout: false,
      stderr: false,
      resourceLimits: { maxOldGenerationSizeMb: this.options.roleMemoryMb },
    });
    return threadChannel(worker, control.port1, this.options.roleMemoryMb);
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
    onMessage: (handler) => port.on('message', handler),
    close: () => port.close(),
  };
}

function portOf(end: LinkEnd, role: string, peer: string): MessagePort {
  const port = (end as { port?: unknown }).port;
  if (typeof port !== 'object' || port === null) throw new TypeError(`The link end of role '${role}' towards '${peer}' is not a MessagePort end; the threads runner only starts roles on its own mesh.`);
  return port as MessagePort;
}

function threadChannel(worker: Worker, port: MessagePort, memoryMb: number): RoleChannel {
  const control = portControlEnd<LeadToRole, RoleToLead>(port);
  return {
    post: control.post,
    onMessage: control.onMessage,
    // A worker's `exit` can come before its last messages; the port's `close` comes after them.
    closed: new Promise((resolve) => port.once('close', () => resolve())),
    onEnded(handler) {
      worker.on('error', (error) => {
        if ((error as Error & { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
          handler(`it ran out of memory: its heap passed ${memoryMb} MiB (roleMemoryMb)`, null, false);
        } else {
          handler(`its thread failed: ${error.message}`, serializeError(error), false);
        }
      });
      worker.on('exit', (code) => {
        handler(`its thread exited with code ${code} before its test file finished`, null, true);
      });
    },
    async terminate() {
      await worker.terminate();
    },
  };
}
