import type { LogLevel } from '../node';
import type { HeldNodes, HeldNodesSink, NodeEndpoint, RoleNodeHost } from '../harness';

/** A node event on a role's lane. */
export type NodeEventKind = 'started' | 'stopped' | 'crashed';

/**
 * What every kind of node the lead holds in processes mode shares: a host per role, and the sink its
 * nodes report into (each role's lines and node events, as that role's own). The kinds add how their
 * nodes start, apply faults and end.
 */
export abstract class HeldNodeSet<H extends RoleNodeHost> implements HeldNodes {
  readonly holdsEveryNode = true;
  abstract readonly endpoints: Readonly<Record<string, NodeEndpoint>> | null;
  /** Each role's node host, set by the kind's constructor. */
  protected readonly hosts = new Map<string, H>();
  protected sink: HeldNodesSink | null = null;

  attach(sink: HeldNodesSink): void {
    this.sink = sink;
  }

  hostOf(role: string): RoleNodeHost | null {
    return this.hosts.get(role) ?? null;
  }

  /** A line of `role`'s log, as the role's own event. */
  protected logTo(role: string, level: LogLevel, message: string, fields: Record<string, unknown>): void {
    this.sink?.record(role, { type: 'log', level, message, fields });
  }

  /** A start, stop or crash of `role`'s node, on its lane. */
  protected recordNode(role: string, event: NodeEventKind, incarnation: number): void {
    this.sink?.record(role, { type: 'node', event, incarnation });
  }

  abstract linksChanged(): Promise<void>;
  abstract startAll(started: (role: string, error: Error | null) => void): Promise<void>;
  abstract setTest(role: string, test: string | null): void;
  abstract close(passed: boolean): Promise<string | null>;
}
