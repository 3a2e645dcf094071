/**
 * The topic registry of one node: a bucket per member (keyed `address#incarnation`) mapping topics
 * to subscribers. Each mediator writes only its own bucket; every write bumps that bucket's version
 * and stamps the changed topics with it, so copies on other nodes merge monotonically: an entry is
 * taken only when its version is newer, and a bucket's version only grows. A topic whose last
 * subscriber left stays as an empty entry (a tombstone), so that its removal spreads like any
 * change; that costs one small entry per topic ever used on a member, for the member's lifetime.
 */

/** One topic's subscribers in one member's bucket, stamped with the bucket version that wrote it. */
export interface TopicEntry<R> {
  readonly topic: string;
  readonly version: number;
  readonly subscribers: readonly R[];
}

/**
 * The changes of one member's bucket after `fromVersion`, up to and including `version`. It may be
 * applied only by a node that already has everything up to `fromVersion` (otherwise changes in
 * between would be skipped for good); applying it again, or late, changes nothing.
 */
export interface BucketDelta<R> {
  readonly owner: string;
  readonly fromVersion: number;
  readonly version: number;
  readonly topics: readonly TopicEntry<R>[];
}

/** What `apply` did with a delta: took it, had it already, or could not take it because changes before it are missing. */
export type ApplyOutcome = 'applied' | 'duplicate' | 'gap';

interface Bucket<R> {
  version: number;
  readonly topics: Map<string, TopicEntry<R>>;
}

/** Anything whose `toString()` identifies it: actor refs (`actor://node/path`). */
export interface Keyed {
  toString(): string;
}

/** See the module comment. Not thread-safe; the mediator actor is its only writer. */
export class TopicRegistry<R extends Keyed> {
  /** The key of this node's own bucket. */
  readonly self: string;
  private readonly buckets = new Map<string, Bucket<R>>();

  constructor(self: string) {
    this.self = self;
    this.buckets.set(self, { version: 0, topics: new Map() });
  }

  /** The version of this node's own bucket. */
  get version(): number {
    return this.own.version;
  }

  /** Adds `ref` to `topic` in this node's bucket; false (and no new version) if it was there already. */
  subscribe(topic: string, ref: R): boolean {
    const current = this.own.topics.get(topic)?.subscribers ?? [];
    if (current.some((s) => s.toString() === ref.toString())) return false;
    this.write([topic], () => [...current, ref]);
    return true;
  }

  /** Removes `ref` from `topic` in this node's bucket; false if it was not there. */
  unsubscribe(topic: string, ref: R): boolean {
    const current = this.own.topics.get(topic)?.subscribers ?? [];
    const rest = current.filter((s) => s.toString() !== ref.toString());
    if (rest.length === current.length) return false;
    this.write([topic], () => rest);
    return true;
  }

  /** Removes `ref` from every topic of this node's bucket (one new version); returns those topics. */
  removeSubscriber(ref: R): string[] {
    const key = ref.toString();
    const topics = [...this.own.topics.values()].filter((e) => e.subscribers.some((s) => s.toString() === key)).map((e) => e.topic);
    if (topics.length > 0) this.write(topics, (topic) => this.own.topics.get(topic)!.subscribers.filter((s) => s.toString() !== key));
    return topics;
  }

  /** Whether `ref` is subscribed to any topic in this node's bucket. */
  hasLocalSubscriber(ref: R): boolean {
    const key = ref.toString();
    return [...this.own.topics.values()].some((e) => e.subscribers.some((s) => s.toString() === key));
  }

  /** Every subscriber in this node's bucket, each once. */
  localSubscribers(): R[] {
    return dedupe([...this.own.topics.values()].flatMap((e) => e.subscribers));
  }

  /** The subscribers of `topic` in this node's bucket. */
  localSubscribersOf(topic: string): readonly R[] {
    return this.own.topics.get(topic)?.subscribers ?? [];
  }

  /** The subscribers of `topic` in every bucket, this node's first, each once. */
  subscribersOf(topic: string): R[] {
    return dedupe([...this.buckets.values()].flatMap((b) => b.topics.get(topic)?.subscribers ?? []));
  }

  /** Topics with at least one subscriber in some bucket, sorted. */
  topics(): string[] {
    const names = new Set<string>();
    for (const bucket of this.buckets.values()) for (const entry of bucket.topics.values()) if (entry.subscribers.length > 0) names.add(entry.topic);
    return [...names].sort();
  }

  /** The owners this node holds a bucket for, sorted. */
  owners(): string[] {
    return [...this.buckets.keys()].sort();
  }

  /** Each bucket's version, by owner: what a gossip status carries. */
  versions(): Record<string, number> {
    return Object.fromEntries([...this.buckets].map(([owner, b]) => [owner, b.version]));
  }

  /** The changes of `owner`'s bucket after `fromVersion`, or undefined when there are none (or no such bucket). */
  deltaSince(owner: string, fromVersion: number): BucketDelta<R> | undefined {
    const bucket = this.buckets.get(owner);
    if (bucket === undefined || bucket.version <= fromVersion) return undefined;
    const topics = [...bucket.topics.values()].filter((e) => e.version > fromVersion);
    return { owner, fromVersion, version: bucket.version, topics };
  }

  /** What a node with bucket versions `theirs` lacks of what this node holds. */
  deltasFor(theirs: Readonly<Record<string, number>>): BucketDelta<R>[] {
    return this.owners().flatMap((owner) => this.deltaSince(owner, versionIn(theirs, owner)) ?? []);
  }

  /** Whether a node with versions `theirs` holds something newer of an owner that `accepts` lets in. */
  isBehind(theirs: Readonly<Record<string, number>>, accepts: (owner: string) => boolean): boolean {
    return Object.keys(theirs).some((owner) => owner !== this.self && accepts(owner) && versionIn(theirs, owner) > (this.buckets.get(owner)?.version ?? 0));
  }

  /**
   * Merges another member's delta. This node's own bucket is written here only, so deltas about it
   * are duplicates by definition. A delta that starts after the version held is a gap: nothing is
   * taken, and the caller should ask the sender for everything since the version held.
   */
  apply(delta: BucketDelta<R>): ApplyOutcome {
    if (delta.owner === this.self) return 'duplicate';
    const bucket = this.buckets.get(delta.owner) ?? { version: 0, topics: new Map<string, TopicEntry<R>>() };
    if (delta.version <= bucket.version) return 'duplicate';
    if (delta.fromVersion > bucket.version) return 'gap';
    for (const entry of delta.topics) {
      if (entry.version > (bucket.topics.get(entry.topic)?.version ?? 0)) bucket.topics.set(entry.topic, entry);
    }
    bucket.version = delta.version;
    this.buckets.set(delta.owner, bucket);
    return 'applied';
  }

  /** Drops the bucket of every other owner that `keep` rejects; returns the dropped owners. */
  retainOwners(keep: (owner: string) => boolean): string[] {
    const dropped = [...this.buckets.keys()].filter((owner) => owner !== this.self && !keep(owner));
    for (const owner of dropped) this.buckets.delete(owner);
    return dropped;
  }

  private get own(): Bucket<R> {
    return this.buckets.get(this.self)!;
  }

  private write(topics: readonly string[], subscribersOf: (topic: string) => readonly R[]): void {
    const own = this.own;
    const version = own.version + 1;
    for (const topic of topics) own.topics.set(topic, { topic, version, subscribers: subscribersOf(topic) });
    own.version = version;
  }
}

function versionIn(versions: Readonly<Record<string, number>>, owner: string): number {
  const value = Object.prototype.hasOwnProperty.call(versions, owner) ? versions[owner] : undefined;
  return typeof value === 'number' ? value : 0;
}

function dedupe<R extends Keyed>(refs: readonly R[]): R[] {
  const seen = new Map<string, R>();
  for (const ref of refs) if (!seen.has(ref.toString())) seen.set(ref.toString(), ref);
  return [...seen.values()];
}
