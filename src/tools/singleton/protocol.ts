import type { ActorRef, Terminated } from '../../actors';
import type { UniqueAddress } from '../../cluster';

/**
 * The messages between a singleton's managers and proxies. Every internal message carries the
 * reserved key `$singleton`, so a proxy tells them apart from the user messages it routes.
 *
 * Hand-over: the new oldest's manager sends `HandOverToMe` to each previous host until it answers
 * `HandOverDone`, which a manager sends only once it holds no instance (its instance stopped and
 * the stop confirmed by `Terminated`); while its instance is still stopping it answers
 * `HandOverInProgress`. A manager that answered never starts the instance again.
 * Routing: a proxy asks the oldest's manager with `Identify` until it answers `Identified` (sent
 * only while its instance runs), then sends it every message as `Deliver`; a manager that no
 * longer hosts the instance answers a `Deliver` with `Bounced`, and the proxy buffers it again.
 */

/** Asks a previous host to stop its instance; the sender is the asking manager. */
export interface HandOverToMe {
  readonly $singleton: 'HandOverToMe';
  readonly from: UniqueAddress;
}

/** `from` holds no instance (any it had has stopped) and never will again. */
export interface HandOverDone {
  readonly $singleton: 'HandOverDone';
  readonly from: UniqueAddress;
}

/** `from` is stopping its instance; the asker keeps waiting for `HandOverDone`. */
export interface HandOverInProgress {
  readonly $singleton: 'HandOverInProgress';
  readonly from: UniqueAddress;
}

/** A proxy asks a manager for the instance; the sender is the proxy. */
export interface Identify {
  readonly $singleton: 'Identify';
}

/** The instance runs on `host`. */
export interface Identified {
  readonly $singleton: 'Identified';
  readonly host: UniqueAddress;
}

/** A routed user message: `seq` orders a proxy's messages, `sender` is whom replies go to. */
export interface Deliver {
  readonly $singleton: 'Deliver';
  readonly seq: number;
  readonly message: unknown;
  readonly sender: ActorRef | undefined;
}

/** A `Deliver` returned to its proxy by a manager that does not host the instance (any more). */
export interface Bounced extends Omit<Deliver, '$singleton'> {
  readonly $singleton: 'Bounced';
}

/** Local only: re-read the cluster state (sent on every cluster event and by retry timers). */
export interface Check {
  readonly $singleton: 'Check';
}

/** The local `Check` message. */
export const CHECK: Check = Object.freeze({ $singleton: 'Check' });

/** What a manager receives. */
export type ManagerMessage = HandOverToMe | HandOverDone | HandOverInProgress | Identify | Deliver | Check | Terminated;

/** The internal messages a proxy receives (besides the user messages it routes). */
export type ProxyMessage = Identified | Bounced | Check;

/** Whether `message` is one of the singleton's own messages (by the reserved `$singleton` key). */
export function isSingletonMessage(message: unknown): message is { readonly $singleton: string } {
  return typeof message === 'object' && message !== null && typeof (message as { $singleton?: unknown }).$singleton === 'string';
}

/** The path of the manager of singleton `name` on every node. */
export function managerPath(name: string): string {
  return `/system/singleton-${name}`;
}
