/**
 * A typed key for `system.registerExtension` / `system.extension`, so the value comes back with
 * its type: `const ClusterKey = new ExtensionKey<Cluster>('cluster')`. Keys compare by name.
 */
export class ExtensionKey<T> {
  /** The name the extension is registered under. */
  readonly name: string;
  /** Carries `T` for type inference only; always undefined. */
  declare readonly __type?: T;

  constructor(name: string) {
    this.name = name;
  }

  toString(): string {
    return this.name;
  }
}
