'use strict';
// One side of the fault proxy benchmark, in its own thread. As 'target' it runs two TCP services on
// loopback: a sink that counts the bytes of a stream and answers the count when the stream ends,
// and an echo. As 'client' it dials a port (a service directly, or a proxy in front of it) and
// measures: a one-way stream's throughput, or sequential round trips of small messages.
const net = require('node:net');
const { parentPort, workerData } = require('node:worker_threads');

const HOST = '127.0.0.1';
const servers = [];
const sockets = new Set();

function track(socket) {
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
  socket.on('error', () => undefined);
  return socket;
}

function listen(onConnection) {
  const server = net.createServer({ noDelay: true, allowHalfOpen: true }, (socket) => onConnection(track(socket)));
  servers.push(server);
  return new Promise((resolve) => server.listen(0, HOST, () => resolve(server.address().port)));
}

function sink(socket) {
  let count = 0;
  socket.on('data', (chunk) => (count += chunk.length));
  socket.on('end', () => {
    const reply = Buffer.alloc(8);
    reply.writeBigUInt64LE(BigInt(count));
    socket.end(reply);
  });
}

function echo(socket) {
  socket.on('data', (chunk) => socket.write(chunk));
}

function dial(port) {
  return new Promise((resolve, reject) => {
    const socket = track(net.connect({ host: HOST, port, noDelay: true, allowHalfOpen: true }));
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Streams `bytes` in `chunkBytes` writes (respecting flow control), ends, and waits for the sink's count. */
async function throughput(port, bytes, chunkBytes) {
  const socket = await dial(port);
  const chunk = Buffer.alloc(chunkBytes, 7);
  const reply = [];
  const answered = new Promise((resolve, reject) => {
    socket.on('data', (part) => reply.push(part));
    socket.once('end', resolve);
    socket.once('error', reject);
  });
  const started = performance.now();
  for (let sent = 0; sent < bytes; sent += chunkBytes) {
    if (!socket.write(chunk)) await new Promise((resolve) => socket.once('drain', resolve));
  }
  socket.end();
  await answered;
  const elapsedMs = performance.now() - started;
  const counted = Number(Buffer.concat(reply).readBigUInt64LE(0));
  socket.destroy();
  if (counted !== Math.ceil(bytes / chunkBytes) * chunkBytes) throw new Error(`The sink counted ${counted} bytes of ${bytes}.`);
  return { elapsedMs, bytes: counted };
}

/** Sequential round trips of `size`-byte messages to an echo; one message in flight. */
async function latency(port, n, warmUp, size) {
  const socket = await dial(port);
  const message = Buffer.alloc(size, 1);
  let received = 0;
  let waiting = null;
  socket.on('data', (chunk) => {
    received += chunk.length;
    if (received >= size && waiting !== null) {
      received -= size;
      const done = waiting;
      waiting = null;
      done();
    }
  });
  const samples = [];
  for (let i = 0; i < warmUp + n; i++) {
    const reply = new Promise((resolve) => (waiting = resolve));
    const started = performance.now();
    socket.write(message);
    await reply;
    if (i >= warmUp) samples.push(performance.now() - started);
  }
  socket.destroy();
  return samples;
}

async function close() {
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  parentPort.close();
}

parentPort.on('message', async (command) => {
  try {
    switch (command.cmd) {
      case 'throughput':
        parentPort.postMessage({ type: 'result', ...(await throughput(command.port, command.bytes, command.chunkBytes)) });
        return;
      case 'latency':
        parentPort.postMessage({ type: 'result', samples: await latency(command.port, command.n, command.warmUp, command.size) });
        return;
      case 'close':
        await close();
        return;
      default:
        throw new Error(`Unknown command ${JSON.stringify(command)}`);
    }
  } catch (error) {
    parentPort.postMessage({ type: 'result', error: String(error && error.stack ? error.stack : error) });
  }
});

(async () => {
  if (workerData.role === 'target') {
    const [sinkPort, echoPort] = [await listen(sink), await listen(echo)];
    parentPort.postMessage({ type: 'ready', sinkPort, echoPort });
  } else {
    parentPort.postMessage({ type: 'ready' });
  }
})();
