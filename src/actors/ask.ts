import type { ActorRef, AskOptions } from './ActorRef';
import { routerOf } from './ActorRef';

/**
 * Sends `message` to `target` with a temporary reply ref as sender and resolves with the first
 * reply (`ctx.reply(...)` or `ctx.sender.tell(...)`), local or remote. Rejects with
 * `AskTimeoutError` (naming the target, the message type and the timeout) when no reply arrives
 * within `timeoutMs` (default: the system's `defaultAskTimeoutMs`), with `UncloneableMessageError`
 * when the message cannot cross to another node, and with `SystemTerminatedError` when the system
 * ends first. A late reply becomes a dead letter.
 *
 * Pass a function instead of a message to put the reply ref inside it:
 * `ask(kv, (replyTo) => ({ type: 'get', key, replyTo }))`.
 */
export function ask<R = unknown>(target: ActorRef, build: (replyTo: ActorRef<R>) => unknown, options?: AskOptions): Promise<R>;
export function ask<R = unknown>(target: ActorRef, message: unknown, options?: AskOptions): Promise<R>;
export function ask<R = unknown>(target: ActorRef, message: unknown, options?: AskOptions): Promise<R> {
  return routerOf(target).ask<R>(target, message, options);
}
