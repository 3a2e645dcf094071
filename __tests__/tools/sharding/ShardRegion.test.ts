import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Actor, Props, type ActorRef, type ActorSystem, type DeadLetter } from '../../../src/actors';
import type { ToCoordinator, ToRegion } from '../../../src/tools/sharding/protocol';
import { RegionTable } from '../../../src/tools/sharding/RegionTable';
import { regionProps } from '../../../src/tools/sharding/ShardRegion';
import { resolveShardingSettings } from '../../../src/tools/sharding/settings';
import { SingletonSim } from '../singleton/helpers/SingletonSim';

/**
 * One region on one node, its coordinator replaced by a recorder: every coordinator message is
 * delivered twice, and once more late (older epoch or allocation), and the region's state and
 * answers are checked not to double.
 */
let sim: SingletonSim;
let system: ActorSystem;
let region: ActorRef;
let table: RegionTable;
let sent: ToCoordinator[];
let entityStarts: string[];
let received: string[];

beforeEach(async () => {
  sim = new SingletonSim(['a', 'b']);
  await sim.start('a', 'b');
  system = sim.system('a');
  sent = [];
  entityStarts = [];
  received = [];
  const coordinator = system.spawn(Props.fromReceive<ToCoordinator>((m) => void sent.push(m)), 'coordinator');
  table = new RegionTable({ address: 'a', incarnation: 0 });
  region = system.systemSpawn(
    regionProps({
      typeName: 't',
      settings: resolveShardingSettings({ numShards: 1, retryIntervalMs: 1000, bufferSize: 2 }),
      factory: {
        entityProps: (id) => {
          if (id === 'bad') throw new Error('no props for bad');
          if (id === 'slow') return Props.create(() => new SlowToStop());
          entityStarts.push(id);
          return Props.fromReceive<{ id: string; n?: string }>((m) => void received.push(`${id}:${m.n ?? m.id}`));
        },
        extractEntityId: (m) => (m as { id: string }).id,
      },
      coordinator,
      table,
    }),
    'sharding-t',
  );
  await sim.run(20);
});

afterEach(() => sim.shutdown());

/** An entity that takes 500 ms of the node's clock to stop. */
class SlowToStop extends Actor {
  receive(): void {}
  override postStop(): Promise<void> {
    return new Promise((resolve) => system.scheduler.runOnce(500, resolve));
  }
}

async function deliver(...messages: ToRegion[]): Promise<void> {
  for (const message of messages) region.tell(message);
  await sim.run(20);
}
const types = (): string[] => sent.map((m) => m.type.slice('sharding.'.length));
const host = (epoch: number, version: number, entities: string[] = []): ToRegion => ({ type: 'sharding.HostShard', epoch, shard: 0, version, entities });

describe('ShardRegion, each coordinator message twice and late', () => {
  it('Hello: registers on each (the coordinator dedupes); an older epoch is ignored', async () => {
    sent.length = 0;
    await deliver({ type: 'sharding.Hello', epoch: 5 }, { type: 'sharding.Hello', epoch: 5 });
    expect(types()).toEqual(['Register', 'Register']);
    await deliver({ type: 'sharding.Hello', epoch: 4 });
    expect(types()).toEqual(['Register', 'Register']);
    expect(table.coordinatorEpoch).toBe(5);
  });

  it('RegisterAck: registered once; an older epoch does not register', async () => {
    await deliver({ type: 'sharding.RegisterAck', epoch: 5 }, { type: 'sharding.RegisterAck', epoch: 5 });
    expect(table.snapshot()).toMatchObject({ registered: true, coordinatorEpoch: 5 });
    await deliver({ type: 'sharding.Hello', epoch: 6 }, { type: 'sharding.RegisterAck', epoch: 5 });
    expect(table.snapshot()).toMatchObject({ registered: false, coordinatorEpoch: 6 });
  });

  it('HostShard: one shard and one start of its remembered entities; acknowledged each time; an older one is ignored', async () => {
    sent.length = 0;
    await deliver(host(5, 2, ['x']), host(5, 2, ['x']));
    expect(table.snapshot().hosted).toEqual([0]);
    expect(entityStarts).toEqual(['x']);
    expect(types()).toEqual(['ShardStarted', 'ShardStarted']);
    await deliver(host(5, 1, ['y']), host(4, 9, ['y']));
    expect(types()).toEqual(['ShardStarted', 'ShardStarted']);
    expect(entityStarts).toEqual(['x']);
  });

  it('ShardHome: the home is set once, messages go there once each; a late one for an older allocation is ignored', async () => {
    const b = sim.system('b').spawn(Props.fromReceive<{ id: string }>((m) => void received.push(`b:${m.id}`)), 'fake-region');
    const home = (version: number): ToRegion => ({ type: 'sharding.ShardHome', epoch: 5, shard: 0, version, home: { address: 'b', incarnation: 0 }, ref: b });
    region.tell({ id: 'm1' });
    await deliver(home(3), home(3));
    expect(table.homes()).toEqual({ 0: 'b' });
    expect(received).toEqual(['b:m1']);
    await deliver({ type: 'sharding.BeginHandOff', epoch: 5, shard: 0, version: 3 }, home(3), home(2));
    expect(table.homes()).toEqual({});
  });

  it('BeginHandOff: acknowledged each time and the home forgotten; one for an older allocation gets no ack', async () => {
    await deliver(host(5, 2));
    sent.length = 0;
    const begin: ToRegion = { type: 'sharding.BeginHandOff', epoch: 5, shard: 0, version: 2 };
    await deliver(begin, begin);
    expect(types()).toEqual(['BeginHandOffAck', 'BeginHandOffAck']);
    expect(table.homes()).toEqual({});
    await deliver(host(5, 3), { ...begin, version: 2 });
    expect(types()).toEqual(['BeginHandOffAck', 'BeginHandOffAck', 'ShardStarted']);
  });

  it('HandOff: the shard stops once, ShardStopped answers each; a HandOff from an older epoch leaves the shard running', async () => {
    await deliver(host(5, 2, ['x']));
    await deliver({ type: 'sharding.HandOff', epoch: 4, shard: 0, version: 2 });
    expect(table.snapshot().hosted).toEqual([0]);
    sent.length = 0;
    const handOff: ToRegion = { type: 'sharding.HandOff', epoch: 5, shard: 0, version: 2 };
    await deliver(handOff, handOff);
    expect(table.snapshot().hosted).toEqual([]);
    await deliver(handOff);
    expect(types()).toEqual(['ShardStopped', 'ShardStopped']);
    // Messages for the shard now wait for its next home instead of restarting it here.
    region.tell({ id: 'x' });
    await sim.run(20);
    expect(table.snapshot().buffered).toEqual({ 0: 1 });
    await deliver(host(5, 2));
    expect(table.snapshot().hosted).toEqual([]);
  });

  it('a shard still stopping for a hand-off when a new coordinator says Hello is registered as hosted; a copy stopping quietly is not', async () => {
    await deliver(host(5, 2, ['slow']));
    await deliver({ type: 'sharding.HandOff', epoch: 5, shard: 0, version: 2 });
    expect(table.snapshot().hosted).toEqual([0]);
    sent.length = 0;
    // The old coordinator died before ShardStopped; its successor asks every region what it hosts.
    await deliver({ type: 'sharding.Hello', epoch: 6 });
    expect(sent).toEqual([expect.objectContaining({ type: 'sharding.Register', hosted: [{ shard: 0, entities: [] }] })]);
    await sim.run(600);
    expect(table.snapshot().hosted).toEqual([]);
    // A copy told to stop because another region owns the shard is not reported.
    await deliver(host(6, 1, ['slow']), { type: 'sharding.ShardHome', epoch: 6, shard: 0, version: 2, home: { address: 'b', incarnation: 0 }, ref: region });
    sent.length = 0;
    await deliver({ type: 'sharding.Hello', epoch: 7 });
    expect(sent).toEqual([expect.objectContaining({ type: 'sharding.Register', hosted: [] })]);
  });

  it('holds messages while the home is unknown, delivers them in order once known, and dead-letters past bufferSize with a clear reason', async () => {
    const dead: DeadLetter[] = [];
    system.eventStream.subscribe('DeadLetter', (d) => void dead.push(d));
    for (const n of ['1', '2', '3']) region.tell({ id: 'x', n });
    region.tell({ id: '' });
    await sim.run(20);
    expect(table.snapshot().buffered).toEqual({ 0: 2 });
    expect(dead.map((d) => d.reason)).toEqual([
      "the 't' shard region's buffer is full (bufferSize 2 messages held while shard homes are unknown or moving)",
      `extractEntityId of 't' gave "", not a non-empty string`,
    ]);
    expect(types()).toContain('GetShardHome');
    received.length = 0;
    await deliver(host(5, 1));
    expect(received).toEqual(['x:1', 'x:2']);
  });

  it('an entity whose props cannot be made is a dead letter with the reason; the shard and its other entities go on', async () => {
    const dead: DeadLetter[] = [];
    system.eventStream.subscribe('DeadLetter', (d) => void dead.push(d));
    await deliver(host(5, 1));
    region.tell({ id: 'x', n: '1' });
    region.tell({ id: 'bad' });
    region.tell({ id: 'x', n: '2' });
    await sim.run(20);
    expect(dead.map((d) => d.reason)).toEqual(["the entity 'bad' could not be started: no props for bad"]);
    expect(received).toEqual(['x:1', 'x:2']);
    expect(table.snapshot().hosted).toEqual([0]);
  });
});
