'use strict';
// Cluster sharding without Jest: every node in its own worker thread (the embedded node on a
// MessageChannelTransport mesh, default cluster and sharding settings), a sharded type of counters.
// Measures the ask latency of an entity through sharding with a local and with a remote home, and
// the time from a node's crash (its thread terminated) until every entity answers again, next to
// the time the survivors took to down it.
const path = require('node:path');
const { startMesh, stopAll, call } = require('./lib/threads');
const { median, percentile, nowMs } = require('./lib/stats');

const SCRIPT = path.join(__dirname, 'workers', 'sharding-worker.js');
const RECOVERY_SIZES = [3, 5];
const ENTITIES = 32;
const ids = Array.from({ length: ENTITIES }, (_, i) => `counter-${i}`);
const addressesOf = (size) => Array.from({ length: size }, (_, i) => String.fromCharCode(97 + i));

/** Starts `size` sharding nodes, runs `body(workers)`, and ends every thread whatever happens. */
async function withCluster(size, seed, body) {
  const workers = await startMesh(SCRIPT, addressesOf(size), { mode: 'mesh' });
  try {
    await Promise.all(workers.map((w) => call(w, { cmd: 'start', seed }, 30_000)));
    return await body(workers);
  } finally {
    await stopAll(workers);
  }
}

/**
 * Entity ask latency on 3 nodes, asked on 'a': entities homed on 'a' (local home), entities homed
 * on 'b' or 'c' (remote home: a's region forwards, the entity answers the asker directly), and, for
 * scale, a plain remote ask of an actor on 'b'. `asks` of each, interleaved.
 */
async function latency({ asks, log }) {
  const result = await withCluster(3, 1, async ([a]) => {
    const { homes } = await call(a, { cmd: 'warm', ids }, 30_000);
    const local = ids.filter((id) => homes[id] === 'a');
    const remote = ids.filter((id) => homes[id] !== 'a');
    if (local.length === 0 || remote.length === 0) throw new Error(`The entities did not spread: ${JSON.stringify(homes)}`);
    const samples = await call(a, { cmd: 'asks', local, remote, peer: 'b', count: asks }, 120_000);
    const stats = (xs) => ({ p50: percentile(xs, 50), p99: percentile(xs, 99), n: xs.length });
    return { local: stats(samples.local), remote: stats(samples.remote), plain: stats(samples.plain) };
  });
  log(`  sharding: ${asks} asks each, local home / remote home / plain remote actor done`);
  return result;
}

/**
 * For 3 and 5 nodes, `reps` times: warm every entity, terminate the last node's thread, and on 'a'
 * (the coordinator's node, the oldest) ask every entity until all answer. Median over reps of the
 * time to the last answer and of the time until 'a' saw the crashed node downed.
 */
async function recovery({ reps, log }) {
  const out = {};
  for (const size of RECOVERY_SIZES) {
    const downing = [];
    const recovered = [];
    const moved = [];
    for (let rep = 0; rep < reps; rep++) {
      await withCluster(size, 100 + rep, async (workers) => {
        const [a] = workers;
        const victim = workers[workers.length - 1];
        const { homes } = await call(a, { cmd: 'warm', ids }, 30_000);
        const crashedAt = nowMs();
        await victim.terminate();
        const r = await call(a, { cmd: 'recover', ids, crashed: victim.self }, 60_000);
        if (r.downedAt === null) throw new Error(`'a' answered for every entity but never saw ${victim.self} downed.`);
        downing.push(r.downedAt - crashedAt);
        recovered.push(r.answeredAt - crashedAt);
        moved.push(ids.filter((id) => homes[id] === victim.self).length);
      });
    }
    const afterDowning = recovered.map((x, i) => x - downing[i]);
    out[size] = { downingMs: median(downing), recoveredMs: median(recovered), afterDowningMs: median(afterDowning), maxAfterDowningMs: Math.max(...afterDowning), moved: median(moved) };
    log(`  sharding: recovery with ${size} nodes, ${reps} rep(s) done`);
  }
  return out;
}

module.exports = { latency, recovery, RECOVERY_SIZES, ENTITIES };
