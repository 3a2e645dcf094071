'use strict';
// One node of the sharding benchmark in its own thread: the embedded node on a MessageChannelTransport
// with a region of the sharded type 'counter' and an 'echo' actor (for a plain remote ask to compare).
//   { cmd: 'start', seed }                 starts the node and the region once every member is Up
//   { cmd: 'warm', ids }                   asks every entity once; answers where each one answered from
//   { cmd: 'asks', local, remote, peer, count }  times `count` asks each: entities homed here, entities
//                                          homed elsewhere, and the echo actor of `peer`
//   { cmd: 'recover', ids, crashed }       asks every entity until all answer; answers when `crashed`
//                                          was downed here and when the last entity answered (epoch ms)
const path = require('node:path');
const { parentPort, workerData } = require('node:worker_threads');
const { createEndpoint, DIST } = require('./endpoints');
const { startEmbeddedNode } = require('./embedded');
const { ClusterSharding, Cluster, Props, ask } = require(path.join(DIST, 'index.js'));

const TYPE = 'counter';
/** A lost ask is retried after this long; it bounds how late the recovery time can be seen. */
const RETRY_ASK_MS = 100;
const { self, roles } = workerData;
const endpoint = createEndpoint(workerData);
const now = () => performance.timeOrigin + performance.now();
let handle = null;
let region = null;
const downedAt = new Map();

async function start(seed) {
  ({ handle } = await startEmbeddedNode({ self, roles, seed, transport: endpoint.transport }));
  const { system } = handle;
  Cluster.get(system).onEvent((event) => {
    if (event.type === 'MemberDowned') downedAt.set(event.member.address, now());
  });
  system.spawn(Props.fromReceive((message, ctx) => ctx.reply(message)), 'echo');
  region = ClusterSharding.get(system).start({
    typeName: TYPE,
    entityProps: (id) => {
      let count = 0;
      return Props.fromReceive((_message, ctx) => ctx.reply({ id, node: system.address, count: ++count }));
    },
    extractEntityId: (message) => message.id,
  });
  return {};
}

/** Asks entity `id` until it answers; rejects after `deadlineMs`. */
async function askUntilAnswered(id, deadlineMs) {
  const deadline = performance.now() + deadlineMs;
  for (;;) {
    try {
      return await ask(region, { id }, { timeoutMs: RETRY_ASK_MS });
    } catch (error) {
      if (performance.now() > deadline) throw new Error(`${self}: entity '${id}' did not answer within ${deadlineMs} ms (${error.message})`);
    }
  }
}

async function warm(ids) {
  const answers = await Promise.all(ids.map((id) => askUntilAnswered(id, 20_000)));
  return { homes: Object.fromEntries(answers.map((a) => [a.id, a.node])) };
}

/** Sequential asks, round robin over `ids` (or all to `target`); returns each one's latency in ms. */
async function timeAsks(count, next) {
  const samples = [];
  for (let i = 0; i < count; i++) {
    const [target, message] = next(i);
    const started = performance.now();
    await ask(target, message, { timeoutMs: 5000 });
    samples.push(performance.now() - started);
  }
  return samples;
}

async function asks({ local, remote, peer, count }) {
  const echo = handle.system.refFor(peer, '/user/echo');
  // Interleaved in blocks so that load on the machine hits all three alike.
  const out = { local: [], remote: [], plain: [] };
  const block = Math.max(1, Math.floor(count / 10));
  for (let done = 0; done < count; done += block) {
    out.local.push(...(await timeAsks(block, (i) => [region, { id: local[i % local.length] }])));
    out.remote.push(...(await timeAsks(block, (i) => [region, { id: remote[i % remote.length] }])));
    out.plain.push(...(await timeAsks(block, (i) => [echo, i])));
  }
  return out;
}

async function recover({ ids, crashed }) {
  await Promise.all(ids.map((id) => askUntilAnswered(id, 30_000)));
  return { answeredAt: now(), downedAt: downedAt.get(crashed) ?? null };
}

const COMMANDS = { start: ({ seed }) => start(seed), warm: ({ ids }) => warm(ids), asks, recover };

parentPort.on('message', async (command) => {
  if (command.cmd === 'close') {
    handle?.crash();
    endpoint.close();
    parentPort.close();
    return;
  }
  const run = COMMANDS[command.cmd];
  if (run === undefined) throw new Error(`Unknown command ${JSON.stringify(command)}`);
  parentPort.postMessage({ type: 'result', ...(await run(command)) });
});
parentPort.postMessage({ type: 'ready' });
