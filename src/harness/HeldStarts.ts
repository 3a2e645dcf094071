import { deferred, type Deferred } from '../util';

/**
 * The first start of each node the lead holds (processes mode). A role is ready for its first test
 * once its thread has loaded its copy of the file (its `node-ready`) and its node is ready: waiting
 * for the node alone would let the lockstep begin while a role still compiles the file, and the hang
 * watch would take that role's busy thread for a hung one.
 */
export class HeldStarts {
  private readonly starts = new Map<string, Deferred<void>>();

  /** `active`: whether the lead holds the nodes of the roles; otherwise every start is ready at once. */
  constructor(private readonly active: boolean) {}

  /** `role`'s held node is ready (`error` null) or failed to start. */
  settle(role: string, error: Error | null): void {
    const start = this.start(role);
    if (error === null) start.resolve();
    else start.reject(error);
  }

  /** Resolves once `role`'s held node is ready; rejects with its start error. */
  ready(role: string): Promise<void> {
    return this.active ? this.start(role).promise : Promise.resolve();
  }

  private start(role: string): Deferred<void> {
    let start = this.starts.get(role);
    if (start === undefined) {
      start = deferred<void>();
      start.promise.catch(() => undefined);
      this.starts.set(role, start);
    }
    return start;
  }
}
