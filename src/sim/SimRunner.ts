import type { SerializedError } from '../util';
import type { ControlEnd, LeadToRole, LinkEnd, RoleChannel, RoleRunner, RoleStart, RoleToLead } from '../harness';
import type { SimNetwork } from './SimNetwork';
import { HARNESS_OWNER } from './SimScheduler';
import type { SimWorld } from './SimWorld';

/** Starts one role's copy of the file in this thread (Jest-specific, given by the environment). */
export type SimRoleLauncher = (role: string, start: RoleStart, control: ControlEnd<RoleToLead, LeadToRole>, links: ReadonlyMap<string, LinkEnd>) => void;

/**
 * Simulation mode: every role in this thread, each in its own Jest runtime (started by the
 * launcher), one event at a time on the world's virtual clock. Control messages are events too: a
 * message to a role runs as that role, one to the conductor as the harness, each channel direction
 * with its own tie-break source, so barrier releases and test starts are ordered by the seed.
 */
export class SimRunner implements RoleRunner {
  private readonly enders = new Map<string, (reason: string, error: SerializedError) => void>();

  constructor(
    private readonly world: SimWorld,
    private readonly network: SimNetwork,
    private readonly launch: SimRoleLauncher,
  ) {}

  mesh(roles: readonly string[]): Map<string, Map<string, LinkEnd>> {
    return this.network.mesh(roles);
  }

  start(role: string, start: RoleStart, links: ReadonlyMap<string, LinkEnd>): RoleChannel {
    const toRole = new Direction<LeadToRole>(this.world, role, `ctl:@>${role}`);
    const toLead = new Direction<RoleToLead>(this.world, HARNESS_OWNER, `ctl:${role}>@`);
    let closedResolve!: () => void;
    const closed = new Promise<void>((resolve) => (closedResolve = resolve));
    const ended: Array<(reason: string, error: SerializedError | null, onlyWhileRunning: boolean) => void> = [];
    const roleEnd: ControlEnd<RoleToLead, LeadToRole> = {
      post: (message) => (isBatch(message) ? message.forEach((one) => toLead.post(one)) : toLead.post(message)),
      onMessage: (handler) => toRole.listen(handler),
      // Closing is a message too: it arrives after everything the role sent before it.
      close: () => toLead.after(() => closedResolve()),
    };
    const terminate = (): void => {
      // A role in this thread cannot be stopped mid-statement; ended, it runs no further event.
      this.world.kill(role);
      for (const link of links.values()) link.close();
      closedResolve();
    };
    this.enders.set(role, (reason, error) => {
      ended.forEach((handler) => handler(reason, error, false));
      terminate();
    });
    this.world.runAs(role, () => {
      try {
        this.launch(role, start, roleEnd, links);
      } catch (error) {
        const reason = `its copy of the file could not be started: ${(error as Error)?.message ?? String(error)}`;
        queueMicrotask(() => ended.forEach((handler) => handler(reason, null, false)));
      }
    });
    return {
      post: (message) => (isBatch(message) ? message.forEach((one) => toRole.post(one)) : toRole.post(message)),
      onMessage: (handler) => toLead.listen(handler),
      closed,
      onEnded: (handler) => ended.push(handler),
      terminate: async () => terminate(),
      release: async () => terminate(),
    };
  }

  /**
   * Ends `role` from outside the conductor, as a thread that failed with `error` (the conductor marks
   * it terminated for `reason`): none of its events run any more and its channel counts as closed.
   * For a simulation that stalled; a role never started, or ended already, is left as it is.
   */
  end(role: string, reason: string, error: SerializedError): void {
    if (this.world.isDead(role)) return;
    this.enders.get(role)?.(reason, error);
  }
}

function isBatch<T>(message: T | readonly T[]): message is readonly T[] {
  return Array.isArray(message);
}

/** One direction of a control channel: every message is a copy, delivered as an event of the receiver. */
class Direction<T> {
  private handler: ((message: T) => void) | null = null;
  private readonly waiting: T[] = [];

  constructor(
    private readonly world: SimWorld,
    private readonly receiver: string,
    private readonly source: string,
  ) {}

  post(message: T): void {
    const copy = needsCopy(message) ? structuredClone(message) : message;
    this.world.schedule(this.receiver, 0, () => (this.handler === null ? this.waiting.push(copy) : this.handler(copy)), this.source);
  }

  /** Runs `fn` as the receiver once every message posted before has arrived. */
  after(fn: () => void): void {
    this.world.schedule(this.receiver, 0, fn, this.source);
  }

  listen(handler: (message: T) => void): void {
    this.handler = handler;
    for (const message of this.waiting.splice(0)) handler(message);
  }
}

/**
 * Whether a control message must be copied to keep the sender and the receiver apart. A batch of
 * link-message trace records is handed over as it is: a role's `TraceBuffer` gives the batch away
 * when it drains it, and those records are made of primitives only and never changed after being
 * recorded (the lead's own batches reach the collector the same way). Everything else is copied,
 * log fields and gathered values among them.
 */
function needsCopy(message: unknown): boolean {
  const candidate = message as RoleToLead | null;
  if (candidate?.type !== 'trace') return true;
  for (const event of candidate.events) if (event.type !== 'msg-send' && event.type !== 'msg-recv') return true;
  return false;
}
