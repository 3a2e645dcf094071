import type { ActorCell } from './ActorCell';
import { checkActorName, generatedName } from './ActorPath';
import { ActorNameTakenError } from './errors';

/**
 * The children of one actor by name, and those that escalated a failure to it (resumed together
 * with it). A name is free again once its child has fully stopped. Internal to the actor runtime.
 */
export class Children {
  private readonly byName = new Map<string, ActorCell>();
  private readonly escalated = new Set<ActorCell>();
  private counter = 0;

  constructor(private readonly parentPath: string) {}

  get(name: string): ActorCell | undefined {
    return this.byName.get(name);
  }

  values(): IterableIterator<ActorCell> {
    return this.byName.values();
  }

  /** `name` if it is valid and free (else throws), or a fresh generated name when undefined. */
  claimName(name: string | undefined): string {
    if (name === undefined) {
      let generated: string;
      do generated = generatedName(this.counter++);
      while (this.byName.has(generated));
      return generated;
    }
    checkActorName(name);
    if (this.byName.has(name)) throw new ActorNameTakenError(this.parentPath, name);
    return name;
  }

  add(child: ActorCell): void {
    this.byName.set(child.name, child);
  }

  /** A child has fully stopped: frees its name. */
  remove(child: ActorCell): void {
    if (this.byName.get(child.name) === child) this.byName.delete(child.name);
    this.escalated.delete(child);
  }

  /** Remembers a child whose failure the parent took over, to resume it when the parent resumes. */
  escalate(child: ActorCell): void {
    this.escalated.add(child);
  }

  /** The escalated children, forgotten as they are returned. */
  takeEscalated(): ActorCell[] {
    const children = [...this.escalated];
    this.escalated.clear();
    return children;
  }
}
