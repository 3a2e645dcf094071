'use strict';
// One node of the worker mesh: an ActorSystem on a MessageChannelTransport, with a greeter actor
// at /user/greeter. The main thread drives it with { type: 'greet', peer } and { type: 'shutdown' }.
const { parentPort, workerData } = require('node:worker_threads');
const { ActorSystem, MessageChannelTransport, Props, ask } = require('../../dist/src/actors');

const transport = new MessageChannelTransport({ self: workerData.self, peers: workerData.peers });
const system = ActorSystem.create(workerData.self, {
  transport,
  log: (level, message) => {
    if (level !== 'debug') parentPort.postMessage({ type: 'log', text: `${level} ${message}` });
  },
});

// The reply ref travels inside the message ({ $ref: { node, path } } on the wire) and is a live
// ref again on the receiving node.
system.spawn(
  Props.fromReceive((message, ctx) => {
    if (message.type === 'greet') message.replyTo.tell(`hello ${message.from}, this is ${system.address} (${ctx.path})`);
    else ctx.unhandled(message);
  }),
  'greeter',
);

parentPort.on('message', async (command) => {
  switch (command.type) {
    case 'greet': {
      const greeter = system.refFor(command.peer, '/user/greeter');
      try {
        const answer = await ask(greeter, (replyTo) => ({ type: 'greet', from: system.address, replyTo }), { timeoutMs: 2000 });
        parentPort.postMessage({ type: 'result', text: `${system.address} asked ${command.peer}: "${answer}"` });
      } catch (error) {
        parentPort.postMessage({ type: 'result', text: `${system.address} could not reach ${command.peer}: ${error.message}` });
      }
      return;
    }
    case 'shutdown':
      await system.terminate();
      transport.close(); // closes the mesh ports, which would otherwise keep this thread alive
      parentPort.postMessage({ type: 'stopped' });
      parentPort.close();
      return;
    default:
      throw new Error(`Unknown command ${JSON.stringify(command)}`);
  }
});
parentPort.postMessage({ type: 'ready' });
