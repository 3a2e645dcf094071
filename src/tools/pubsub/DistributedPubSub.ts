import { ActorRef, ExtensionKey, InvalidArgumentError, Props, ask, type ActorSystem } from '../../actors';
import { Cluster, formatMember } from '../../cluster';
import type { Rng } from '../../util';
import { Mediator } from './Mediator';
import { MEDIATOR_NAME, type MediatorAck, type MediatorCommand } from './protocol';
import { InvalidPubSubSettingError, resolvePubSubSettings, sameSettings, type PubSubSettings } from './settings';
import { TopicRegistry } from './TopicRegistry';

const PUBSUB_KEY = new ExtensionKey<DistributedPubSub>('distributedPubSub');

/**
 * Distributed publish/subscribe over the embedded cluster: one mediator actor per node
 * (`/system/distributedPubSubMediator`), created by the first `DistributedPubSub.get(system)`.
 *
 * ```ts
 * const pubsub = DistributedPubSub.get(system);
 * await pubsub.subscribe('orders', ref);   // registered on this node once it resolves
 * pubsub.publish('orders', { id: 7 });     // every subscriber on every node known to have one, once each
 * pubsub.send('orders', { id: 8 });        // one subscriber, a local one if there is one
 * ```
 *
 * Each node keeps a registry of every member's subscriptions, spread by the mediators: a change is
 * pushed to every Up member at once, and a periodic gossip round (`gossipIntervalMs`) repairs a
 * push that was lost. So `publish` right after another node's `subscribe` resolved may miss that
 * subscriber: wait until `subscribers(topic)` (or `topics()`) on the publishing node shows it.
 * Subscriptions of a member that is downed or removed are forgotten, and a subscriber that stops
 * is removed. Messages go straight from the publisher to each subscriber, so per publisher and
 * subscriber they arrive in the order published. Time comes from the system's scheduler and
 * randomness from its seeded `Rng`, so runs repeat under a seed.
 *
 * Needs the system's cluster (`Cluster.get(system)`), which the embedded node registers; get it on
 * every node that takes part, since a node without a mediator neither hears nor passes on changes.
 */
export class DistributedPubSub {
  /** The settings in force on this node. */
  readonly settings: PubSubSettings;
  /** This node's mediator actor, `/system/distributedPubSubMediator` (its protocol is internal). */
  readonly mediator: ActorRef;
  readonly #system: ActorSystem;
  readonly #registry: TopicRegistry<ActorRef>;
  readonly #rng: Rng;

  /**
   * The pub/sub of `system`, starting its mediator on first use. `settings` (see `PubSubSettings`)
   * apply when this call creates the mediator; later calls may leave them out, and throw
   * `InvalidPubSubSettingError` if they pass different ones. Throws `ClusterNotRegisteredError`
   * when the system has no cluster.
   */
  static get(system: ActorSystem, settings?: Partial<PubSubSettings>): DistributedPubSub {
    const existing = system.findExtension(PUBSUB_KEY);
    if (existing !== undefined) {
      if (settings !== undefined && !sameSettings(existing.settings, resolvePubSubSettings(settings))) {
        throw new InvalidPubSubSettingError(
          '(all)',
          `DistributedPubSub on ${String(system)} already runs with ${JSON.stringify(existing.settings)}; it was asked for ${JSON.stringify(settings)}. ` +
            'Pass settings only to the first DistributedPubSub.get of a node.',
        );
      }
      return existing;
    }
    return system.registerExtension(PUBSUB_KEY, new DistributedPubSub(system, resolvePubSubSettings(settings)));
  }

  private constructor(system: ActorSystem, settings: PubSubSettings) {
    const cluster = Cluster.get(system);
    this.settings = settings;
    this.#system = system;
    this.#registry = new TopicRegistry<ActorRef>(formatMember(cluster.self));
    this.#rng = system.rng.fork('distributedPubSub');
    const gossipRng = this.#rng.fork('gossip');
    this.mediator = system.systemSpawn(Props.create(() => new Mediator(this.#registry, cluster, settings, gossipRng)), MEDIATOR_NAME);
  }

  /**
   * Subscribes `ref` to `topic`. Resolves once this node's mediator has registered it (so this
   * node's `publish` reaches it from then on; other nodes learn of it shortly after). Subscribing
   * twice is a no-op. Rejects with `AskTimeoutError` after `ackTimeoutMs`.
   */
  async subscribe(topic: string, ref: ActorRef): Promise<void> {
    await this.command({ type: 'Subscribe', topic: checkTopic(topic), ref: checkRef(ref, 'subscribe') });
  }

  /** Removes `ref` from `topic`; resolves once this node's mediator has removed it. Unknown pairs are a no-op. */
  async unsubscribe(topic: string, ref: ActorRef): Promise<void> {
    await this.command({ type: 'Unsubscribe', topic: checkTopic(topic), ref: checkRef(ref, 'unsubscribe') });
  }

  /**
   * Sends `message` to every subscriber of `topic` on every node this node knows to have one, each
   * subscriber once. With no subscriber known, the message becomes a `DeadLetter` event on the
   * system's event stream (and a debug log line) whose reason names the topic.
   */
  publish(topic: string, message: unknown, sender?: ActorRef): void {
    const subscribers = this.subscribers(checkTopic(topic));
    if (subscribers.length === 0) return this.noSubscriber(topic, message, sender);
    for (const ref of subscribers) ref.tell(message, sender);
  }

  /**
   * Sends `message` to one subscriber of `topic`: one on this node if there is any, otherwise one on
   * another node; among several, one chosen with the system's seeded `Rng`. With no subscriber
   * known, a `DeadLetter` event as for `publish`.
   */
  send(topic: string, message: unknown, sender?: ActorRef): void {
    const subscribers = this.subscribers(checkTopic(topic));
    const local = subscribers.filter((ref) => ref.node === this.#system.address);
    const pool = local.length > 0 ? local : subscribers;
    if (pool.length === 0) return this.noSubscriber(topic, message, sender);
    pool[this.#rng.nextInt(pool.length)].tell(message, sender);
  }

  /** Topics with a subscriber anywhere in the cluster, as this node knows now; sorted. */
  topics(): readonly string[] {
    return this.#registry.topics();
  }

  /** The subscribers of `topic` on every node, as this node knows now: this node's registrations first. */
  subscribers(topic: string): readonly ActorRef[] {
    return this.#registry.subscribersOf(topic);
  }

  private async command(command: MediatorCommand): Promise<void> {
    await ask<MediatorAck>(this.mediator, command, { timeoutMs: this.settings.ackTimeoutMs });
  }

  private noSubscriber(topic: string, message: unknown, sender: ActorRef | undefined): void {
    const reason = `no subscriber of topic ${JSON.stringify(topic)} is known on node '${this.#system.address}'`;
    this.#system.logger('pubsub').debug(`dead letter: ${reason}`);
    this.#system.eventStream.publish({ type: 'DeadLetter', message, sender, recipient: this.mediator, reason });
  }
}

function checkTopic(topic: string): string {
  if (typeof topic !== 'string' || topic.length === 0) throw new InvalidArgumentError(`A pub/sub topic must be a non-empty string; it was given ${JSON.stringify(topic)}.`);
  return topic;
}

function checkRef(ref: ActorRef, what: string): ActorRef {
  if (!(ref instanceof ActorRef)) throw new InvalidArgumentError(`DistributedPubSub.${what} needs an ActorRef; it was given ${String(ref)}.`);
  return ref;
}
