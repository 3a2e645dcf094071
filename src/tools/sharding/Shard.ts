import { Actor, Props, Terminated, type ActorContext, type ActorRef } from '../../actors';

/** How a region makes the entities of its type. */
export interface EntityFactory {
  readonly entityProps: (entityId: string) => Props;
  readonly extractEntityId: (message: unknown) => string;
  /** The shard of a message, when the type chose its own (`extractShardId`); else the hash of the entity id. */
  readonly extractShardId?: (message: unknown) => number;
}

/** Sent by an entity to its parent shard (see `passivate`): stop me once my mailbox is done. */
export interface PassivateMessage {
  readonly type: 'sharding.Passivate';
}

/** @internal Local messages between a region and its shards. */
export type ShardControl =
  /** Hand-off: stop every entity, then the shard itself. */
  | { readonly type: 'sharding.StopShard' }
  /** The periodic check for idle entities. */
  | { readonly type: 'sharding.IdleCheck' };

/** @internal What a shard tells its region: an entity started or stopped (for remembered entities). */
export interface EntityChanged {
  readonly type: 'sharding.EntityChanged';
  readonly shard: number;
  readonly entityId: string;
  readonly started: boolean;
}

/**
 * Asks the shard hosting the calling entity to stop it (passivation). Call it from the entity's
 * `receive`: `passivate(ctx)`. Messages that reach the shard for the entity meanwhile are kept and
 * start it again afterwards, so nothing is lost; with `rememberEntities` the entity is forgotten.
 */
export function passivate(ctx: ActorContext<never> | ActorContext<unknown>): void {
  const message: PassivateMessage = { type: 'sharding.Passivate' };
  ctx.parent?.tell(message, ctx.self as ActorRef);
}

/** The child name of an entity: its id, escaped so any string is a valid actor name. */
export function entityActorName(entityId: string): string {
  return encodeURIComponent(entityId);
}

interface EntityEntry {
  readonly ref: ActorRef;
  lastActive: number;
  /** Passivating or stopping: messages wait here and restart it once it has stopped. */
  stopping: Array<{ message: unknown; sender: ActorRef | undefined }> | undefined;
}

/**
 * One shard on its owner: the entities of the ids that hash to it, started on their first message
 * (or at once when remembered), stopped when idle for `passivateIdleAfterMs` or when they ask, and
 * all stopped on hand-off, after which the shard stops itself (its region watches it).
 */
export class Shard extends Actor {
  private readonly entities = new Map<string, EntityEntry>();
  private handingOff = false;

  constructor(
    private readonly shard: number,
    private readonly factory: EntityFactory,
    private readonly passivateIdleAfterMs: number,
    private readonly initialEntities: readonly string[],
  ) {
    super();
  }

  override preStart(ctx: ActorContext): void {
    for (const entityId of this.initialEntities) this.startEntity(entityId, ctx);
    if (this.passivateIdleAfterMs > 0) {
      const check: ShardControl = { type: 'sharding.IdleCheck' };
      ctx.timers.startTimerWithFixedDelay('idle', check, Math.max(1, Math.floor(this.passivateIdleAfterMs / 2)));
    }
  }

  receive(message: unknown, ctx: ActorContext): void {
    if (message instanceof Terminated) return this.onTerminated(message.ref, ctx);
    const type = (message as { type?: unknown } | null)?.type;
    if (type === 'sharding.StopShard') return this.stopAll(ctx);
    if (type === 'sharding.IdleCheck') return this.passivateIdle(ctx);
    if (type === 'sharding.Passivate' && ctx.sender !== undefined) return this.passivateEntity(ctx.sender, ctx);
    this.deliver(message, ctx.sender, ctx);
  }

  private deliver(message: unknown, sender: ActorRef | undefined, ctx: ActorContext): void {
    if (this.handingOff) {
      // Behind the hand-off in the mailbox: back to the region, which routes it to the next home.
      ctx.parent?.tell(message, sender);
      return;
    }
    const entityId = this.factory.extractEntityId(message);
    const existing = this.entities.get(entityId);
    if (existing?.stopping !== undefined) {
      existing.stopping.push({ message, sender });
      return;
    }
    const entry = existing ?? this.startEntity(entityId, ctx, { message, sender });
    if (entry === undefined) return;
    entry.lastActive = ctx.system.clock.now();
    entry.ref.tell(message, sender);
  }

  /** Starts an entity; a bad `entityProps` is logged (and its message dead-lettered) instead of failing the whole shard. */
  private startEntity(entityId: string, ctx: ActorContext, cause?: { message: unknown; sender: ActorRef | undefined }): EntityEntry | undefined {
    try {
      return this.entity(entityId, ctx);
    } catch (error) {
      const reason = `the entity '${entityId}' could not be started: ${error instanceof Error ? error.message : String(error)}`;
      ctx.log.warn(`Shard ${this.shard}: ${reason}.`);
      if (cause !== undefined) ctx.system.eventStream.publish({ type: 'DeadLetter', message: cause.message, sender: cause.sender, recipient: ctx.self, reason });
      return undefined;
    }
  }

  private entity(entityId: string, ctx: ActorContext): EntityEntry {
    const existing = this.entities.get(entityId);
    if (existing !== undefined) return existing;
    const ref = ctx.spawn(this.factory.entityProps(entityId), entityActorName(entityId));
    ctx.watch(ref);
    const entry: EntityEntry = { ref, lastActive: ctx.system.clock.now(), stopping: undefined };
    this.entities.set(entityId, entry);
    this.report(ctx, entityId, true);
    return entry;
  }

  private passivateEntity(ref: ActorRef, ctx: ActorContext): void {
    for (const [entityId, entry] of this.entities) {
      if (!entry.ref.equals(ref) || entry.stopping !== undefined) continue;
      entry.stopping = [];
      ctx.stop(entry.ref);
      this.report(ctx, entityId, false);
      return;
    }
  }

  private passivateIdle(ctx: ActorContext): void {
    const now = ctx.system.clock.now();
    for (const entry of this.entities.values()) {
      if (entry.stopping === undefined && now - entry.lastActive >= this.passivateIdleAfterMs) this.passivateEntity(entry.ref, ctx);
    }
  }

  private stopAll(ctx: ActorContext): void {
    this.handingOff = true;
    for (const entry of this.entities.values()) {
      // Messages waiting for a passivating entity go back to the region, which routes them on.
      for (const { message, sender } of entry.stopping ?? []) ctx.parent?.tell(message, sender);
      entry.stopping = [];
      ctx.stop(entry.ref);
    }
    if (this.entities.size === 0) ctx.stop();
  }

  private onTerminated(ref: ActorRef, ctx: ActorContext): void {
    for (const [entityId, entry] of this.entities) {
      if (!entry.ref.equals(ref)) continue;
      this.entities.delete(entityId);
      if (entry.stopping === undefined) this.report(ctx, entityId, false);
      // Messages that arrived while it was passivating start it again, in order (or go back on hand-off).
      for (const { message, sender } of entry.stopping ?? []) this.deliver(message, sender, ctx);
      break;
    }
    if (this.handingOff && this.entities.size === 0) ctx.stop();
  }

  private report(ctx: ActorContext, entityId: string, started: boolean): void {
    const changed: EntityChanged = { type: 'sharding.EntityChanged', shard: this.shard, entityId, started };
    ctx.parent?.tell(changed);
  }
}

/** @internal The props of a shard. */
export function shardProps(shard: number, factory: EntityFactory, passivateIdleAfterMs: number, entities: readonly string[]): Props {
  return Props.create(() => new Shard(shard, factory, passivateIdleAfterMs, entities));
}
