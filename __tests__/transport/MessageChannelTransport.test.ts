import { afterEach, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { MessageChannel, Worker } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import {
  InvalidTransportConfigError,
  MessageChannelTransport,
  UncloneableMessageError,
  UnknownAddressError,
  createMeshChannels,
  createStarChannels,
  portsOf,
} from '../../src/transport/index';
import type { MessageChannelTransportOptions, Transport } from '../../src/transport/index';
import { withDeadline } from '../actors/helpers';

function nextMessage(transport: Transport, timeoutMs = 2000): Promise<{ from: string; message: unknown }> {
  let unsubscribe: () => void = () => undefined;
  const received = new Promise<{ from: string; message: unknown }>((resolve) => {
    unsubscribe = transport.onMessage((from, message) => resolve({ from, message }));
  });
  return withDeadline(received, timeoutMs, `a message at ${transport.self}`).finally(() => unsubscribe());
}

describe('MessageChannelTransport in one thread', () => {
  const open: MessageChannelTransport[] = [];
  const make = (options: MessageChannelTransportOptions): MessageChannelTransport => {
    const transport = new MessageChannelTransport(options);
    open.push(transport);
    return transport;
  };

  afterEach(() => {
    for (const transport of open.splice(0)) transport.close();
  });

  it('connects a full mesh with one port per pair', async () => {
    const mesh = createMeshChannels(['a', 'b', 'c']);
    expect(Object.keys(mesh.a ?? {}).sort()).toEqual(['b', 'c']);
    const a = make({ self: 'a', peers: mesh.a ?? {} });
    const b = make({ self: 'b', peers: mesh.b ?? {} });
    const c = make({ self: 'c', peers: mesh.c ?? {} });
    expect(a.addresses).toEqual(['a', 'b', 'c']);
    const atC = nextMessage(c);
    a.send('c', { hello: new Map([['x', 1]]) });
    await expect(atC).resolves.toEqual({ from: 'a', message: { hello: new Map([['x', 1]]) } });
    const atA = nextMessage(a);
    b.send('a', 'from b');
    await expect(atA).resolves.toEqual({ from: 'b', message: 'from b' });
    const self = nextMessage(b);
    b.send('b', 'to myself');
    await expect(self).resolves.toEqual({ from: 'b', message: 'to myself' });
  });

  it('relays between spokes through the hub of a star', async () => {
    const star = createStarChannels('hub', ['s1', 's2']);
    const hub = make(star.hub as MessageChannelTransportOptions);
    const s1 = make(star.s1 as MessageChannelTransportOptions);
    const s2 = make(star.s2 as MessageChannelTransportOptions);
    expect(s1.addresses).toEqual(['hub', 's1', 's2']);
    const hubSeen: unknown[] = [];
    hub.onMessage((_from, message) => hubSeen.push(message));
    const atS2 = nextMessage(s2);
    s1.send('s2', 'via the hub');
    await expect(atS2).resolves.toEqual({ from: 's1', message: 'via the hub' });
    const atHub = nextMessage(hub);
    s2.send('hub', 'for the hub');
    await expect(atHub).resolves.toEqual({ from: 's2', message: 'for the hub' });
    expect(hubSeen).toEqual(['for the hub']);
    const atS1 = nextMessage(s1);
    hub.send('s1', 'from the hub');
    await expect(atS1).resolves.toEqual({ from: 'hub', message: 'from the hub' });
  });

  it('throws for unknown addresses, uncloneable messages (naming the field) and bad configs', () => {
    const mesh = createMeshChannels(['a', 'b']);
    const a = make({ self: 'a', peers: mesh.a ?? {} });
    make({ self: 'b', peers: mesh.b ?? {} });
    expect(() => a.send('z', 1)).toThrow(UnknownAddressError);
    expect(() => a.send('b', { nested: { cb: () => 1 } })).toThrow(UncloneableMessageError);
    expect(() => a.send('b', { nested: { cb: () => 1 } })).toThrow("The message to 'b' cannot be sent: message.nested.cb is a function (cb)");
    expect(() => a.send('a', { cb: () => 1 })).toThrow('message.cb is a function');
    const { port1 } = new MessageChannel();
    expect(() => new MessageChannelTransport({ self: 'x', peers: { x: port1 } })).toThrow(InvalidTransportConfigError);
    expect(() => new MessageChannelTransport({ self: 'x', hub: 'x', hubPort: port1, spokes: [] })).toThrow("A spoke cannot be its own hub: both self and hub are 'x'.");
    port1.close();
    expect(() => createMeshChannels(['a', 'a'])).toThrow("The address 'a' is given twice; node addresses must be unique.");
  });

  it('closes its ports: the peer drops what it sends, and close is idempotent', async () => {
    const mesh = createMeshChannels(['a', 'b']);
    const a = make({ self: 'a', peers: mesh.a ?? {} });
    const b = make({ self: 'b', peers: mesh.b ?? {} });
    const closed = new Promise<void>((resolve) => (mesh.b?.a as MessagePort).once('close', () => resolve()));
    a.close();
    a.close();
    await withDeadline(closed, 2000, "b's port to close");
    expect(() => b.send('a', 'into the void')).not.toThrow();
    expect(() => a.send('b', 'after close')).not.toThrow();
  });
});

interface NodeWorker {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  readonly exited: Promise<number>;
  request(command: Record<string, unknown>): Promise<unknown>;
}

const fixture = join(__dirname, 'fixtures', 'actorNode.js');

function startNode(options: MessageChannelTransportOptions): NodeWorker {
  const worker = new Worker(fixture, { workerData: { transport: options }, transferList: portsOf(options) });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const logs: string[] = [];
  worker.on('message', (message: { type?: string; id?: number; ok?: boolean; value?: unknown; error?: string; message?: string }) => {
    if (message.type === 'ready') markReady();
    else if (message.type === 'log') logs.push(String(message.message));
    else if (message.id !== undefined) {
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (message.ok) waiter?.resolve(message.value);
      else waiter?.reject(new Error(`${message.error} (worker log: ${logs.join(' | ')})`));
    }
  });
  const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
  return {
    worker,
    ready: withDeadline(ready, 10_000, `worker ${options.self} to start`),
    exited,
    request(command) {
      const id = nextId++;
      const reply = new Promise<unknown>((resolve, reject) => pending.set(id, { resolve, reject }));
      worker.postMessage({ ...command, id });
      return withDeadline(reply, 10_000, `the reply of worker ${options.self} to ${String(command.type)}`);
    },
  };
}

describe('MessageChannelTransport between real worker threads', () => {
  let nodes: NodeWorker[] = [];

  afterEach(async () => {
    await Promise.all(nodes.map((node) => node.worker.terminate()));
    nodes = [];
  });

  /** Starts the first worker alone (it fills the fixture's transpile cache), then the others. */
  async function startAll(options: MessageChannelTransportOptions[]): Promise<NodeWorker[]> {
    const [first, ...rest] = options as [MessageChannelTransportOptions, ...MessageChannelTransportOptions[]];
    nodes = [startNode(first)];
    await nodes[0]?.ready;
    nodes.push(...rest.map(startNode));
    await Promise.all(nodes.map((node) => node.ready));
    return nodes;
  }

  async function shutDownAndExpectExit(): Promise<void> {
    for (const node of nodes) void node.request({ type: 'shutdown' }).catch(() => undefined);
    const codes = await withDeadline(Promise.all(nodes.map((node) => node.exited)), 10_000, 'every worker to exit on its own');
    expect(codes).toEqual(nodes.map(() => 0));
  }

  it('runs actor systems in a full mesh: remote ask, refs inside messages, field-naming clone errors', async () => {
    const mesh = createMeshChannels(['a', 'b', 'c']);
    const [a] = (await startAll(['a', 'b', 'c'].map((self) => ({ self, peers: mesh[self] ?? {} })))) as [NodeWorker, NodeWorker, NodeWorker];

    await expect(a.request({ type: 'ask', node: 'b', message: { type: 'echo', body: 'hi' } })).resolves.toEqual({ echoed: 'hi', by: 'b' });
    await expect(a.request({ type: 'ask', node: 'b', message: { type: 'forward', toNode: 'c', body: 'via b' } })).resolves.toEqual({
      echoed: 'via b',
      by: 'c',
    });
    await expect(a.request({ type: 'tell-uncloneable', node: 'c' })).resolves.toEqual({
      name: 'UncloneableMessageError',
      code: 'UNCLONEABLE_MESSAGE',
      path: 'message.body.handler',
      message:
        "The message to 'actor://c/user/node' cannot be sent: message.body.handler is a function (handler), which structured clone cannot copy. " +
        'Send plain data (objects, arrays, strings, numbers, Map, Set, Date, typed arrays) instead.',
    });
    await shutDownAndExpectExit();
  }, 30_000);

  it('runs actor systems in a star, spoke to spoke through the hub', async () => {
    const star = createStarChannels('hub', ['s1', 's2']);
    const [hub, s1] = (await startAll(['hub', 's1', 's2'].map((self) => star[self] as MessageChannelTransportOptions))) as [
      NodeWorker,
      NodeWorker,
      NodeWorker,
    ];

    await expect(s1.request({ type: 'ask', node: 's2', message: { type: 'echo', body: 1 } })).resolves.toEqual({ echoed: 1, by: 's2' });
    await expect(hub.request({ type: 'ask', node: 's1', message: { type: 'echo', body: 2 } })).resolves.toEqual({ echoed: 2, by: 's1' });
    await expect(s1.request({ type: 'ask', node: 'hub', message: { type: 'forward', toNode: 's2', body: 3 } })).resolves.toEqual({
      echoed: 3,
      by: 's2',
    });
    await shutDownAndExpectExit();
  }, 30_000);
});
