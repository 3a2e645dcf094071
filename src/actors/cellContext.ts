import type { ActorCell } from './ActorCell';
import type { ActorContext } from './ActorContext';
import { childPath } from './ActorPath';
import type { ActorRef } from './ActorRef';
import { NotAChildError, describeMessageType } from './errors';
import type { Props } from './Props';

/** `ctx.stop(ref)`: self, or a child (a child that already stopped is a no-op); anything else throws. */
function stopSelfOrChild(cell: ActorCell, ref: ActorRef | undefined): void {
  if (ref === undefined || ref.equals(cell.ref)) {
    cell.stop();
    return;
  }
  if (ref.node === cell.ref.node && ref.path === childPath(cell.path, ref.name)) {
    cell.children.get(ref.name)?.stop();
    return;
  }
  throw new NotAChildError(
    `${cell.path} cannot stop ${ref.toString()}: an actor can stop only itself and its own children. ` +
      'Send that actor a message asking it to stop instead.',
  );
}

/** @internal The `ActorContext` an actor cell hands to its actor. */
export function createActorContext(cell: ActorCell): ActorContext {
  const { runtime } = cell;
  return {
    get self() {
      return cell.ref;
    },
    path: cell.path,
    get parent() {
      return cell.parent?.ref;
    },
    get sender() {
      return cell.currentSender;
    },
    get system() {
      return runtime.system;
    },
    log: cell.log,
    timers: cell.timers,
    get children() {
      return [...cell.children.values()].map((child) => child.ref);
    },
    child: (name) => cell.children.get(name)?.ref,
    spawn: <C>(props: Props<C>, name?: string) => cell.spawnChild(props as Props, name).ref as ActorRef<C>,
    stop: (ref) => stopSelfOrChild(cell, ref),
    watch: <T>(ref: ActorRef<T>) => {
      cell.watches.watch(ref as ActorRef);
      return ref;
    },
    unwatch: (ref) => cell.watches.unwatch(ref),
    reply: (message) => {
      const sender = cell.currentSender;
      if (sender !== undefined) sender.tell(message, cell.ref);
      else runtime.deadLetter(message, cell.ref, runtime.deadLetters, `${cell.path} replied to a message that has no sender`);
    },
    forward: (target, message) => target.tell(message, cell.currentSender),
    unhandled: (message) => {
      cell.log.debug(`unhandled ${describeMessageType(message)} message`);
      runtime.eventStream.publish({ type: 'UnhandledMessage', message, sender: cell.currentSender, recipient: cell.ref });
    },
  };
}
