'use strict';
// The ways one thread can talk to another that the benchmarks compare, behind one tiny interface:
// { send(message), onMessage(handler), transport?, close() }.
const path = require('node:path');

const DIST = path.resolve(__dirname, '..', '..', 'dist', 'src');
const { LinkEndpoint } = require(path.join(DIST, 'harness', 'LinkEndpoint.js'));
const { FaultTable } = require(path.join(DIST, 'harness', 'FaultTable.js'));
const { TraceBuffer } = require(path.join(DIST, 'harness', 'TraceBuffer.js'));
const { harnessRealm } = require(path.join(DIST, 'harness', 'NodeRealm.js'));
const { portLinkEnd } = require(path.join(DIST, 'harness', 'ThreadRunner.js'));
const { MessageChannelTransport } = require(path.join(DIST, 'transport', 'MessageChannelTransport.js'));
const { systemClock } = require(path.join(DIST, 'util', 'Clock.js'));
const { createRng } = require(path.join(DIST, 'util', 'Rng.js'));

/**
 * `port`: the bare MessagePort (the floor). `mesh`: MessageChannelTransport (the actors' own
 * transport outside the harness). `link`: the harness's LinkEndpoint, i.e. what a NodeFactory's
 * ctx.transport is under Jest: fault table read, Lamport tick, trace record of send and receipt.
 * `link-capped` is the same past the trace's per-role message cap (nothing is buffered any more).
 *
 * @param {{ mode: string, self: string, roles: string[], ports: Record<string, import('node:worker_threads').MessagePort>, faultBuffer?: SharedArrayBuffer }} data
 */
function createEndpoint({ mode, self, roles, ports, faultBuffer }) {
  switch (mode) {
    case 'port': {
      const peers = Object.values(ports);
      const handlers = new Set();
      for (const port of peers) port.on('message', (m) => handlers.forEach((h) => h(m)));
      return {
        send: (to, message) => ports[to].postMessage(message),
        onMessage: (h) => handlers.add(h),
        close: () => peers.forEach((p) => p.close()),
      };
    }
    case 'mesh': {
      const transport = new MessageChannelTransport({ self, peers: ports });
      return {
        transport,
        send: (to, message) => transport.send(to, message),
        onMessage: (h) => transport.onMessage((_from, m) => h(m)),
        close: () => transport.close(),
      };
    }
    case 'link':
    case 'link-capped': {
      const table = new FaultTable(roles.length, faultBuffer);
      // The harness ships non-message events to the conductor at once; here nobody listens.
      const trace = new TraceBuffer(self, systemClock, () => undefined, mode === 'link' ? Number.POSITIVE_INFINITY : 0);
      const endpoint = new LinkEndpoint(self, roles, new Map(Object.entries(ports).map(([peer, port]) => [peer, portLinkEnd(port)])), table, systemClock, createRng(1).fork(`links:${self}`), trace);
      // The ports stay in this thread's own realm, as for a node factory the harness loads itself.
      endpoint.connect(harnessRealm(() => Promise.reject(new Error('The benchmarks start their nodes themselves.'))));
      const transport = endpoint.open();
      return {
        transport,
        trace,
        send: (to, message) => transport.send(to, message),
        onMessage: (h) => transport.onMessage((_from, m) => h(m)),
        close: () => {
          trace.drainMessages();
          endpoint.close();
        },
      };
    }
    default:
      throw new Error(`Unknown endpoint mode '${mode}'.`);
  }
}

module.exports = { createEndpoint, DIST };
