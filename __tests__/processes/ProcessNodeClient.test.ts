import { connect } from 'node:net';
import { encodeFrame } from '../../src/processes/frames';
import { ProcessNodeError, type ProcessNodeExit } from '../../src/processes';
import { kvClustersCheckedAfterEach, send, stateOf, untilReceived, waitFor, type KvCluster } from './helpers/nodeProcesses';

// Real child processes on two loaded cores: a cold transform of the node takes seconds.
jest.setTimeout(90_000);

describe('ProcessNodeClient: one role\'s node process', () => {
  let cluster: KvCluster | null = null;
  const newCluster = kvClustersCheckedAfterEach();

  it('answers inspect with a structured clone, and rejects naming the reason when it cannot', async () => {
    cluster = await newCluster(['a']);
    const a = cluster.group.client('a');
    await expect(a.inspect({ op: 'state' })).rejects.toThrow("The node of role 'a' is not running, so it cannot be inspected.");
    await cluster.group.startAll();

    const state = await stateOf(cluster, 'a');
    expect(state).toMatchObject({ role: 'a', incarnation: 0, store: {}, received: [] });
    expect(state.pid).toBe(a.pid);
    await expect(a.inspect({ op: 'throw' })).rejects.toThrow('inspect was asked to throw');
    const uncloneable = a.inspect({ op: 'uncloneable' });
    await expect(uncloneable).rejects.toThrow("The inspect() answer of role 'a' cannot be sent to the test: answer.callback is a function");
    await expect(uncloneable).rejects.toMatchObject({ code: 'UNCLONEABLE_ANSWER' });
    // The node is still fine after those.
    expect((await stateOf(cluster, 'a')).role).toBe('a');
  });

  it('throws at once in the node for an uncloneable message or an unknown role, and delivers to itself', async () => {
    cluster = await newCluster(['a', 'b']);
    await cluster.group.startAll();
    await expect(cluster.group.client('a').inspect({ op: 'sendUncloneable', to: 'b' })).rejects.toThrow("The message to 'b' cannot be sent: message.payload.callback is a function");
    await expect(send(cluster, 'a', 'zz', 'lost')).rejects.toThrow("transport.send from 'a' was given an unknown role 'zz'; the roles of this file are 'a', 'b'.");
    await send(cluster, 'a', 'a', 'to myself');
    await untilReceived(cluster, 'a', 'a', 'to myself');
  });

  it('passes ctx.log lines to onLog, tagged with role and incarnation, and the process output to onOutput', async () => {
    cluster = await newCluster(['a']);
    await cluster.group.startAll();
    await cluster.group.client('a').inspect({ op: 'log' });
    await waitFor(() => cluster!.logs.some((l) => l.message === 'asked to log'), 'the log line', 5_000);
    const line = cluster.logs.find((l) => l.message === 'asked to log')!;
    expect(line).toMatchObject({ role: 'a', incarnation: 0, level: 'info' });
    expect(typeof line.fields?.random).toBe('number');

    await cluster.group.client('a').inspect({ op: 'print', text: 'hello' });
    await waitFor(() => cluster!.output.length >= 2, 'two output lines', 5_000);
    expect([...cluster.output].sort()).toEqual(['a stderr: hello on stderr', 'a stdout: hello on stdout']);
  });

  it('rejects start with the factory\'s own error when it throws, and leaves no process', async () => {
    cluster = await newCluster(['a'], { nodeOptions: { failStart: true } });
    const start = cluster.group.start('a', 0);
    await expect(start).rejects.toThrow('kv node a refuses to start (incarnation 0)');
    expect(cluster.group.client('a').pid).toBeNull();
    expect(cluster.recorder.leftovers()).toEqual([]);
  });

  it('crash kills the process with SIGKILL; a restart is a new process and a new incarnation that its peers reach', async () => {
    cluster = await newCluster(['a', 'b']);
    const exits: ProcessNodeExit[] = [];
    cluster.group.client('b').onExit((exit) => exits.push(exit));
    await cluster.group.startAll();
    const b = cluster.group.client('b');
    const firstPid = b.pid!;
    await cluster.group.client('b').inspect({ op: 'put', key: 'before', value: 1 });

    await b.crash();
    expect(b.pid).toBeNull();
    expect(b.running).toBe(false);
    expect(() => process.kill(firstPid, 0)).toThrow();
    await expect(b.inspect({ op: 'state' })).rejects.toThrow(ProcessNodeError);
    // A crashed peer's listener is gone: a's messages are lost, as on a network, and a keeps working.
    await send(cluster, 'a', 'b', 'while down');

    await cluster.group.start('b', 1);
    expect(b.pid).not.toBe(firstPid);
    const restarted = await stateOf(cluster, 'b');
    expect(restarted).toMatchObject({ incarnation: 1, store: {}, received: [] });
    await send(cluster, 'a', 'b', 'after restart');
    await untilReceived(cluster, 'b', 'a', 'after restart');
    await send(cluster, 'b', 'a', 'from the new b');
    await untilReceived(cluster, 'a', 'b', 'from the new b');
    expect(exits).toEqual([]);
  });

  it('stops gracefully: the node stops and the process exits by itself', async () => {
    cluster = await newCluster(['a']);
    await cluster.group.startAll();
    const a = cluster.group.client('a');
    const pid = a.pid!;
    await a.stop();
    expect(a.pid).toBeNull();
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it('reports a process that dies by itself through onExit, with its last output', async () => {
    cluster = await newCluster(['a']);
    const exited = new Promise<ProcessNodeExit>((resolve) => cluster!.group.client('a').onExit(resolve));
    await cluster.group.startAll();
    await cluster.group.client('a').inspect({ op: 'print', text: 'last words' });
    await waitFor(() => cluster!.output.length >= 2, 'two output lines', 5_000);
    process.kill(cluster.group.client('a').pid!, 'SIGKILL');
    const exit = await exited;
    expect(exit).toMatchObject({ role: 'a', incarnation: 0, code: null, signal: 'SIGKILL' });
    expect([...exit.lastOutput].sort()).toEqual(['last words on stderr', 'last words on stdout']);
    expect(cluster.group.client('a').running).toBe(false);
  });

  it('refuses and logs a control connection with a wrong token', async () => {
    cluster = await newCluster(['a']);
    const a = cluster.group.client('a');
    const refusals: string[] = [];
    a.onRefused((reason) => refusals.push(reason));
    const address = await a.controlAddress();
    const socket = connect(address);
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
    socket.write(encodeFrame({ type: 'hello', token: 'not-the-token', pid: 4242, link: { host: '127.0.0.1', port: 1 } }));
    await closed;
    expect(refusals).toEqual([expect.stringContaining('it presented a wrong token (process 4242)')]);
    expect(cluster.logs).toEqual([expect.objectContaining({ role: 'a', level: 'warn', message: refusals[0] })]);
    // The right process still gets in.
    await cluster.group.startAll();
    expect((await stateOf(cluster, 'a')).role).toBe('a');
  });

  it('fails a start that does not finish within its deadline, and kills the process', async () => {
    cluster = await newCluster(['a'], { nodeOptions: { hangStart: true } });
    const started = Date.now();
    await expect(cluster.group.start('a', 0, 6_000)).rejects.toMatchObject({
      code: 'NODE_START_TIMEOUT',
      message: expect.stringMatching(/^The node process of role 'a' \(incarnation 0, pid \d+\) did not start within 6000 ms\./),
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(6_000);
    expect(cluster.group.client('a').pid).toBeNull();
    expect(cluster.recorder.leftovers()).toEqual([]);
  });

  it('fails a stop that does not finish within nodeTimeoutMs, naming the role, and kills the process', async () => {
    cluster = await newCluster(['a'], { nodeOptions: { hangStop: true }, settings: { nodeTimeoutMs: 3_000 } });
    await cluster.group.startAll(30_000);
    await expect(cluster.group.client('a').stop()).rejects.toMatchObject({
      code: 'NODE_TIMEOUT',
      message: expect.stringMatching(/^The node process of role 'a' \(incarnation 0, pid \d+\) did not answer stop\(\) within 3000 ms\./),
    });
    expect(cluster.recorder.leftovers()).toEqual([]);
  });

  it('fails a start whose process exits before its node starts, quoting the process\'s output', async () => {
    cluster = await newCluster(['a'], { nodeOptions: {} });
    const a = cluster.group.client('a');
    const start = a.start(0, {
      whenListening: () => {
        process.kill(a.pid!, 'SIGKILL');
      },
    });
    await expect(start).rejects.toThrow(/The node process of role 'a' \(incarnation 0, pid \d+\) exited \(killed by SIGKILL\)/);
  });
});
