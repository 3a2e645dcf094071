/**
 * What this node knows about one singleton, shared by its manager, its proxy, `location()` and the
 * termination hook that lets a leaving node finish its hand-over. All of them run in one thread.
 */
export class SingletonRecord {
  /** True while this node's manager runs the instance and routes messages to it. */
  hostedHere = false;
  /** The address of the instance as this node's proxy last identified it, or undefined while it looks. */
  knownHost: string | undefined;
  /** True once this node's manager has started an instance (in this incarnation). */
  everHeld = false;
  #holding = false;
  #released: (() => void)[] = [];

  /** True from the start of this node's instance until it has stopped. */
  get holding(): boolean {
    return this.#holding;
  }

  /** The manager started (true) or finished stopping (false) its instance. */
  setHolding(holding: boolean): void {
    this.#holding = holding;
    if (holding) this.everHeld = true;
    if (holding) return;
    for (const resolve of this.#released.splice(0)) resolve();
  }

  /** Resolves once this node holds no instance. */
  whenReleased(): Promise<void> {
    if (!this.#holding) return Promise.resolve();
    return new Promise((resolve) => this.#released.push(resolve));
  }
}
