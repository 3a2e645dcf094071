import type { SerializedError } from '../util';
import type { LinkPort, NodeRealm } from './NodeRealm';
import type { LeadToRole, RoleToLead, RoleWorkerData } from './protocol';

/**
 * The runner seam. The conductor, the lockstep, barriers, faults and the trace are the same in every
 * mode; a runner decides where each non-lead role's copy of the file runs, how the conductor talks to
 * it, and how the roles' nodes are linked. Threads mode runs each role in a worker thread over
 * MessagePorts (`ThreadRunner`); nothing above this seam asks which runner it has.
 */

/**
 * One role's end of a node link, before its node's realm exists. The node's realm adopts it when the
 * node is loaded, so that messages arrive as objects of that realm.
 */
export interface LinkEnd {
  adopt(realm: NodeRealm): LinkPort;
  /** Closes the end if it was never adopted (the adopted port closes itself). */
  close(): void;
}

/** One end of a control channel: messages out, messages in, never faulted. */
export interface ControlEnd<Out, In> {
  /**
   * Sends `message`, or several in one transfer (received one by one, in order); a closed channel drops
   * it silently (the other side is gone).
   */
  post(message: Out | readonly Out[]): void;
  onMessage(handler: (message: In) => void): void;
  close(): void;
}

/** The conductor's end of one role's control channel, plus how that role ends. */
export interface RoleChannel extends Omit<ControlEnd<LeadToRole, RoleToLead>, 'close'> {
  /** Resolves once the role's end is closed and every message it sent has arrived. */
  readonly closed: Promise<void>;
  /**
   * Called when the role's side ends abnormally: with `onlyWhileRunning` the conductor counts it
   * against the role only while its file was still running (a thread that exits early), otherwise
   * always (a thread error, out of memory).
   */
  onEnded(handler: (reason: string, error: SerializedError | null, onlyWhileRunning: boolean) => void): void;
  /** Ends the role at once, even one stuck in a synchronous loop. */
  terminate(): Promise<void>;
  /**
   * The role's file is over and its end closed in time: the runner may keep what ran it for a later
   * file (threads mode keeps the thread idle, see RoleThreadPool) or ends it.
   */
  release(): Promise<void>;
}

/** What a role needs to run its copy of the file, whichever runner runs it. */
export type RoleStart = Omit<RoleWorkerData, 'control' | 'links'>;

/** Decides where non-lead roles run and how every role's node is linked to the others. */
export interface RoleRunner {
  /** The node links of every role: for each role, its end towards each peer. */
  mesh(roles: readonly string[]): Map<string, Map<string, LinkEnd>>;
  /** Starts `role`'s copy of the file, with its link ends from `mesh`. */
  start(role: string, start: RoleStart, links: ReadonlyMap<string, LinkEnd>): RoleChannel;
}
