import type { ActorCell } from './ActorCell';
import type { ActorRef } from './ActorRef';
import { Terminated } from './Terminated';

/**
 * The death-watch book of one actor: whom it watches (local or remote refs), and who watches it
 * (local cells, and remote watchers by node and path). It queues `Terminated` into its own cell and
 * tells its watchers when the cell has stopped. Internal to the actor runtime.
 */
export class DeathWatch {
  private readonly localWatchers = new Set<ActorCell>();
  private readonly remoteWatchers = new Map<string, { readonly node: string; readonly path: string }>();
  private readonly watching = new Map<string, ActorRef>();

  constructor(private readonly cell: ActorCell) {}

  /** Starts watching `ref` (no-op for self or if already watching). */
  watch(ref: ActorRef): void {
    const key = ref.toString();
    if (ref.equals(this.cell.ref) || this.watching.has(key)) return;
    this.watching.set(key, ref);
    this.cell.runtime.watchTarget(ref, this.cell);
  }

  /** Stops watching `ref`; a queued `Terminated` for it is then dropped. */
  unwatch(ref: ActorRef): void {
    const key = ref.toString();
    if (!this.watching.delete(key)) return;
    this.cell.runtime.unwatchTarget(ref, this.cell);
  }

  addWatcher(watcher: ActorCell): void {
    this.localWatchers.add(watcher);
  }

  removeWatcher(watcher: ActorCell): void {
    this.localWatchers.delete(watcher);
  }

  addRemoteWatcher(node: string, path: string): void {
    this.remoteWatchers.set(`${node}\u0000${path}`, { node, path });
  }

  removeRemoteWatcher(node: string, path: string): void {
    this.remoteWatchers.delete(`${node}\u0000${path}`);
  }

  /** Queues `Terminated` for `ref` if this actor still watches it. */
  notifyTerminated(ref: ActorRef, existenceConfirmed: boolean, addressTerminated: boolean): void {
    const watched = this.watching.get(ref.toString());
    if (watched !== undefined) this.cell.enqueue(new Terminated(watched, existenceConfirmed, addressTerminated), undefined);
  }

  /** Node `node` is gone: `Terminated` for everything watched there, and forget its watchers. */
  addressTerminated(node: string): void {
    for (const ref of this.watching.values()) if (ref.node === node) this.notifyTerminated(ref, true, true);
    for (const [key, watcher] of this.remoteWatchers) if (watcher.node === node) this.remoteWatchers.delete(key);
  }

  /** Whether a dequeued `Terminated` is still wanted; delivering it ends the watch (at most once per watch). */
  consume(terminated: Terminated): boolean {
    return this.watching.delete(terminated.ref.toString());
  }

  /** The cell stopped: stop watching others and tell every watcher, local and remote. */
  cellStopped(): void {
    const { cell } = this;
    for (const ref of this.watching.values()) cell.runtime.unwatchTarget(ref, cell);
    this.watching.clear();
    for (const watcher of this.localWatchers) watcher.watches.notifyTerminated(cell.ref, true, false);
    this.localWatchers.clear();
    for (const watcher of this.remoteWatchers.values()) cell.runtime.sendTerminated(watcher.node, watcher.path, cell.path, true);
    this.remoteWatchers.clear();
  }

  /** The cell died abruptly: forget everything, tell nobody. */
  clear(): void {
    this.localWatchers.clear();
    this.remoteWatchers.clear();
    this.watching.clear();
  }
}
