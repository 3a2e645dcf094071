import type { NodeOp } from './protocol';
import type { NodeRealm } from './NodeRealm';
import type { RoleNodeHost } from './RoleNodeHost';
import { NodeError, withoutFrames } from './errors';

/**
 * A role thread's view of its node when the lead holds every node (processes mode): the node runs
 * in another OS process, so there is no `system` to hand out; `inspect` asks the lead, which asks
 * the node. Node operations never reach a role thread in that mode.
 */
export class RemoteNodeHost implements RoleNodeHost {
  constructor(
    private readonly role: string,
    private readonly ask: (query: unknown) => Promise<unknown>,
    private readonly realm: () => NodeRealm,
  ) {}

  get system(): unknown {
    throw withoutFrames(
      new NodeError(
        `multinode.system: the node of role '${this.role}' runs in its own OS process (processes mode), so its system is not reachable from the test. Ask it with multinode.inspect(query), or reach a process-spec node at multinode.endpoint.`,
      ),
    );
  }

  get incarnation(): number {
    return -1;
  }

  get isRunning(): boolean {
    return false;
  }

  async start(): Promise<void> {
    throw new NodeError(`The node of role '${this.role}' is held by the lead in processes mode; only the lead starts it.`);
  }

  async stop(): Promise<void> {
    // The lead stops it.
  }

  run(op: NodeOp): Promise<void> {
    return Promise.reject(new NodeError(`The node of role '${this.role}' is held by the lead in processes mode; the '${op}' operation runs there.`));
  }

  async awaitMembersUp(): Promise<void> {
    throw withoutFrames(
      new NodeError(
        `multinode.awaitMembersUp needs the node's membersUp(), which a node in its own OS process (processes mode) does not offer to the test; wait with eventually() for what the node reports instead (multinode.inspect of a NodeFactory node, or your service at multinode.endpoint).`,
      ),
    );
  }

  async inspect(query: unknown): Promise<unknown> {
    return this.realm().copy(await this.ask(query));
  }
}
