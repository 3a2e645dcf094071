'use strict';
// One node of the worker mesh: an ActorSystem and a Cluster on one MessageChannelTransport (wired
// the way the embedded node does it), running a region of the sharded entity type 'counter'. The
// main thread drives it with { type: 'count', ids }, { type: 'recover', ids, crashed } and
// { type: 'shutdown' }; everything else it says comes as { type: 'log', text }.
const { parentPort, workerData } = require('node:worker_threads');
const { ActorSystem, Cluster, ClusterSharding, MessageChannelTransport, Props, ask, channel, registerCluster } = require('../../dist/src');

const { self, addresses, peers } = workerData;
const TYPE = 'counter';
/** Epoch milliseconds, comparable between the threads of this process. */
const now = () => performance.timeOrigin + performance.now();
const log = (text) => parentPort.postMessage({ type: 'log', text });

const transport = new MessageChannelTransport({ self, peers });
const system = ActorSystem.create(self, {
  transport,
  log: (level, message) => {
    if (level === 'warn' || level === 'error') log(`${level} ${message}`);
  },
});
// The cluster gets its own channel of the same transport; the first address forms the cluster.
const cluster = Cluster.start({ transport: channel(transport, 'cluster'), selfAddress: self, seedNodes: addresses });
registerCluster(system, cluster);
system.onTerminate((kind) => (kind === 'abort' ? cluster.abort() : cluster.shutdown()));
const downedAt = new Map();
cluster.onEvent((event) => {
  if (event.type !== 'MemberDowned' || event.member.address === self) return;
  downedAt.set(event.member.address, now());
  system.addressTerminated(event.member.address); // remote watches and asks on it fail at once
});

/** Resolves once this node sees `count` members Up. */
function membersUp(count) {
  return new Promise((resolve) => {
    const check = () => {
      if (cluster.membersUp() < count) return;
      unsubscribe();
      resolve();
    };
    const unsubscribe = cluster.onEvent(check);
    check();
  });
}

// A counter per id: every { id } adds one and answers where the entity lives and its count.
const counters = ClusterSharding.get(system).start({
  typeName: TYPE,
  entityProps: (id) => {
    let count = 0;
    return Props.fromReceive((_message, ctx) => ctx.reply({ id, node: system.address, count: ++count }));
  },
  extractEntityId: (message) => message.id,
});

/**
 * Asks every counter once, retrying each unanswered ask after 200 ms for up to `deadlineMs` (an ask
 * that went to the crashed worker is lost); resolves with id -> answer.
 */
async function countAll(ids, deadlineMs) {
  const deadline = performance.now() + deadlineMs;
  const answers = await Promise.all(
    ids.map(async (id) => {
      for (;;) {
        try {
          return await ask(counters, { id }, { timeoutMs: 200 });
        } catch (error) {
          if (performance.now() > deadline) throw new Error(`counter '${id}' did not answer within ${deadlineMs} ms: ${error.message}`);
        }
      }
    }),
  );
  return Object.fromEntries(answers.map((answer) => [answer.id, answer]));
}

parentPort.on('message', async (command) => {
  try {
    switch (command.type) {
      case 'count': {
        const answers = await countAll(command.ids, 10_000);
        parentPort.postMessage({ type: 'counted', answers, hosted: ClusterSharding.get(system).regionState(TYPE).hosted });
        return;
      }
      case 'recover': {
        const answers = await countAll(command.ids, 15_000);
        const downed = downedAt.get(command.crashed);
        parentPort.postMessage({ type: 'recovered', answers, downedAt: downed, answeredAt: now() });
        return;
      }
      case 'shutdown':
        await system.terminate(); // leaves the cluster gracefully first
        transport.close(); // closes the mesh ports, which would otherwise keep this thread alive
        parentPort.close();
        return;
      default:
        throw new Error(`Unknown command ${JSON.stringify(command)}`);
    }
  } catch (error) {
    parentPort.postMessage({ type: 'failed', text: error.message });
  }
});

cluster
  .whenUp()
  .then(() => membersUp(addresses.length))
  .then(() => parentPort.postMessage({ type: 'ready' }));
