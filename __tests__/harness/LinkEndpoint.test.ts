import { afterEach, describe, expect, it } from '@jest/globals';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { UnknownRoleError } from '../../src/harness/errors';
import { FaultTable, LINK_BLACKHOLED, LINK_PARTITIONED } from '../../src/harness/FaultTable';
import { harnessRealm } from '../../src/harness/NodeRealm';
import { LinkEndpoint, previewOf } from '../../src/harness/LinkEndpoint';
import { portLinkEnd } from '../../src/harness/ThreadRunner';
import { TraceBuffer, type MessageReceiveRecord, type MessageSendRecord } from '../../src/harness/TraceBuffer';
import { UncloneableMessageError } from '../../src/transport/cloneCheck';
import type { Transport } from '../../src/transport/Transport';
import { createRng } from '../../src/util/Rng';
import { FakeClock, waitFor } from './helpers';

const ROLES = ['a', 'b'] as const;
const A = 0;
const B = 1;

interface Side {
  readonly endpoint: LinkEndpoint;
  readonly trace: TraceBuffer;
  transport: Transport;
  readonly inbox: Array<{ from: string; message: unknown }>;
  readonly port: MessagePort;
  /** Resolves when the port has closed. */
  readonly closed: Promise<void>;
}

/**
 * Two endpoints, 'a' and 'b', over the two ports of one MessageChannel, sharing one fault table.
 * Delivery goes through real ports; delays and self-sends are scheduled on a fake clock.
 */
class Pair {
  readonly table = new FaultTable(2);
  readonly clock = new FakeClock();
  readonly a: Side;
  readonly b: Side;

  constructor(seed = 1) {
    const { port1, port2 } = new MessageChannel();
    this.a = this.side('a', 'b', port1, seed);
    this.b = this.side('b', 'a', port2, seed + 1);
  }

  private side(role: string, peer: string, port: MessagePort, seed: number): Side {
    const trace = new TraceBuffer(role, this.clock, () => undefined);
    const endpoint = new LinkEndpoint(role, ROLES, new Map([[peer, portLinkEnd(port)]]), this.table, this.clock, createRng(seed), trace);
    const closed = new Promise<void>((resolve) => port.once('close', () => resolve()));
    endpoint.connect(harnessRealm(async () => { throw new Error('no factory here'); }));
    const side: Side = { endpoint, trace, transport: endpoint.open(), inbox: [], port, closed };
    side.transport.onMessage((from, message) => side.inbox.push({ from, message }));
    return side;
  }

  sends(side: Side): MessageSendRecord[] {
    return side.trace.drainMessages().filter((e): e is MessageSendRecord => e.type === 'msg-send');
  }

  /** Closes both endpoints and resolves once both ports have closed. */
  async close(): Promise<void> {
    this.a.endpoint.close();
    this.b.endpoint.close();
    await Promise.all([this.a.closed, this.b.closed]);
  }
}

let markers = 0;

/**
 * Sends a marker on a healthy link and waits for it: everything sent before it on that link has
 * arrived by then. Resolves with the other messages the receiver got.
 */
async function afterMarker(from: Side, to: Side, toRole: string): Promise<unknown[]> {
  const marker = { marker: ++markers };
  from.transport.send(toRole, marker);
  await waitFor(() => to.inbox.some((m) => (m.message as { marker?: number }).marker === marker.marker), `the marker at ${toRole}`);
  return to.inbox.map((m) => m.message).filter((m) => (m as { marker?: number }).marker === undefined);
}

describe('LinkEndpoint', () => {
  const pairs: Pair[] = [];
  const pair = (seed?: number): Pair => {
    const p = new Pair(seed);
    pairs.push(p);
    return p;
  };

  afterEach(async () => {
    await Promise.all(pairs.splice(0).map((p) => p.close()));
  });

  describe('delivery', () => {
    it('delivers a structured-clone copy to the peer, naming the sender', async () => {
      const { a, b } = pair();
      const message = { type: 'hello', data: new Map([['k', [1, 2]]]) };
      a.transport.send('b', message);
      await waitFor(() => b.inbox.length === 1, 'the message at b');
      expect(b.inbox[0]).toEqual({ from: 'a', message });
      expect(b.inbox[0]!.message).not.toBe(message);
    });

    it('keeps the order of messages on one link', async () => {
      const { a, b } = pair();
      for (let i = 0; i < 20; i++) a.transport.send('b', i);
      await waitFor(() => b.inbox.length === 20, 'twenty messages at b');
      expect(b.inbox.map((m) => m.message)).toEqual([...Array(20).keys()]);
    });

    it('traces both halves with one sequence number, and the receiver moves its Lamport clock past the sender', async () => {
      const p = pair();
      const { a, b } = p;
      b.trace.tick();
      a.trace.tick();
      a.trace.tick();
      a.trace.tick();
      a.trace.currentTest = 'suite t';
      a.transport.send('b', { type: 'ping' });
      await waitFor(() => b.inbox.length === 1, 'the ping at b');
      const [sent] = p.sends(a);
      expect(sent).toEqual({
        type: 'msg-send',
        time: p.clock.now(),
        role: 'a',
        lamport: 4,
        test: 'suite t',
        to: 'b',
        seq: 1,
        dropped: null,
        delayMs: 0,
        preview: 'ping',
      });
      const received = b.trace.drainMessages() as MessageReceiveRecord[];
      expect(received).toEqual([{ type: 'msg-recv', time: p.clock.now(), role: 'b', lamport: 5, from: 'a', seq: 1 }]);
    });

    it('numbers the messages of an endpoint in sequence, across incarnations', () => {
      const p = pair();
      p.a.transport.send('b', 1);
      p.a.transport = p.a.endpoint.open();
      p.a.transport.send('b', 2);
      expect(p.sends(p.a).map((s) => s.seq)).toEqual([1, 2]);
    });
  });

  describe('sending to itself', () => {
    it('delivers asynchronously, as a copy', () => {
      const { a, clock } = pair();
      const message = { n: 1 };
      a.transport.send('a', message);
      message.n = 2;
      expect(a.inbox).toEqual([]);
      clock.advance(0);
      expect(a.inbox).toEqual([{ from: 'a', message: { n: 1 } }]);
    });

    it('is never faulted, and traces both halves', () => {
      const p = pair();
      const { a, table, clock } = p;
      table.setFlag(A, A, LINK_PARTITIONED | LINK_BLACKHOLED, true);
      table.setDrop(A, A, 1);
      table.setDelay(A, A, 500, 500);
      table.setFlag(A, B, LINK_PARTITIONED, true);
      a.transport.send('a', 'to me');
      clock.advance(0);
      expect(a.inbox).toEqual([{ from: 'a', message: 'to me' }]);
      const records = a.trace.drainMessages();
      expect(records.map((r) => r.type)).toEqual(['msg-send', 'msg-recv']);
      expect(records[0]).toMatchObject({ to: 'a', dropped: null, delayMs: 0, seq: 1 });
      expect(records[1]).toMatchObject({ from: 'a', seq: 1, lamport: 2 });
    });
  });

  describe('programming errors', () => {
    it('throws UnknownRoleError for an unknown destination, and sends and traces nothing', () => {
      const p = pair();
      let error: unknown;
      try {
        p.a.transport.send('z', 'hi');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(UnknownRoleError);
      expect((error as Error).message).toBe("transport.send from 'a' was given an unknown role 'z'; the roles of this file are 'a', 'b'.");
      expect(p.a.trace.drainMessages()).toEqual([]);
    });

    it('throws UnknownRoleError even from a dead transport', () => {
      const { a } = pair();
      a.endpoint.cut();
      expect(() => a.transport.send('z', 1)).toThrow(UnknownRoleError);
    });

    it('throws for a message that cannot be cloned, naming the field, on every path', () => {
      const p = pair();
      const bad = { payload: { callback: () => 1 } };
      const expectUncloneable = (to: string): void => {
        let error: unknown;
        try {
          p.a.transport.send(to, bad);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(UncloneableMessageError);
        expect((error as UncloneableMessageError).path).toBe('message.payload.callback');
        expect((error as Error).message).toContain(`The message to '${to}' cannot be sent: message.payload.callback is a function (callback)`);
      };
      expectUncloneable('b'); // posted at once
      expectUncloneable('a'); // to itself
      p.table.setDelay(A, B, 50, 50);
      expectUncloneable('b'); // delayed
      p.table.setFlag(A, B, LINK_PARTITIONED, true);
      expectUncloneable('b'); // dropped by the network: still a programming error
      expect(p.clock.pending()).toBe(0);
    });
  });

  describe('faults at the sender', () => {
    it('drops messages across a partition and traces them with the reason', async () => {
      const p = pair();
      p.table.setFlag(A, B, LINK_PARTITIONED, true);
      p.a.transport.send('b', { type: 'lost' });
      expect(p.sends(p.a)).toMatchObject([{ to: 'b', dropped: 'partition', preview: 'lost', delayMs: 0 }]);
      p.table.clearLink(A, B);
      expect(await afterMarker(p.a, p.b, 'b')).toEqual([]);
    });

    it('drops only the blackholed direction', async () => {
      const p = pair();
      p.table.setFlag(A, B, LINK_BLACKHOLED, true);
      p.a.transport.send('b', 'into the hole');
      p.b.transport.send('a', 'still flows');
      await waitFor(() => p.a.inbox.length === 1, 'the message at a');
      expect(p.a.inbox[0]).toEqual({ from: 'b', message: 'still flows' });
      expect(p.sends(p.a)).toMatchObject([{ dropped: 'blackhole' }]);
      p.table.clearLink(A, B);
      expect(await afterMarker(p.a, p.b, 'b')).toEqual([]);
    });

    it('drops every message at drop probability 1 and traces the reason', async () => {
      const p = pair();
      p.table.setDrop(A, B, 1);
      for (let i = 0; i < 5; i++) p.a.transport.send('b', i);
      expect(p.sends(p.a).map((s) => s.dropped)).toEqual(Array(5).fill('drop'));
      p.table.clearLink(A, B);
      expect(await afterMarker(p.a, p.b, 'b')).toEqual([]);
    });

    it('drops the same messages for the same seed', () => {
      const pattern = (seed: number): Array<string | null> => {
        const p = pair(seed);
        p.table.setDrop(A, B, 0.5);
        for (let i = 0; i < 40; i++) p.a.transport.send('b', i);
        return p.sends(p.a).map((s) => s.dropped);
      };
      const first = pattern(7);
      expect(pattern(7)).toEqual(first);
      expect(first).toContain('drop');
      expect(first).toContain(null);
    });

    it('drops messages to and from a node that is not running, as crashed', () => {
      const p = pair();
      p.table.setNodeState(B, 'crashed');
      p.a.transport.send('b', 1);
      p.table.setNodeState(B, 'running');
      p.table.setNodeState(A, 'departed');
      p.a.transport.send('b', 2);
      expect(p.sends(p.a).map((s) => s.dropped)).toEqual(['crashed', 'crashed']);
    });
  });

  describe('delay', () => {
    it('holds a message for its delay while later messages on a healed link overtake it', async () => {
      const p = pair();
      p.table.setDelay(A, B, 100, 100);
      p.a.transport.send('b', 'slow');
      expect(p.sends(p.a)).toMatchObject([{ dropped: null, delayMs: 100 }]);
      expect(p.clock.pendingDelays()).toEqual([100]);
      // A heal does not hurry a message in flight.
      p.table.clearLink(A, B);
      expect(await afterMarker(p.a, p.b, 'b')).toEqual([]);
      p.clock.advance(99);
      p.a.transport.send('b', 'fast');
      await waitFor(() => p.b.inbox.some((m) => m.message === 'fast'), "'fast' at b");
      expect(p.b.inbox.map((m) => m.message)).not.toContain('slow');
      p.clock.advance(1);
      await waitFor(() => p.b.inbox.some((m) => m.message === 'slow'), "'slow' at b");
    });

    it('sends a copy taken at send time', async () => {
      const p = pair();
      p.table.setDelay(A, B, 10, 10);
      const message = { n: 1 };
      p.a.transport.send('b', message);
      message.n = 2;
      p.clock.advance(10);
      await waitFor(() => p.b.inbox.length === 1, 'the delayed message');
      expect(p.b.inbox[0]!.message).toEqual({ n: 1 });
    });

    it('picks each delay within the range, from the seeded generator', () => {
      const p = pair(3);
      p.table.setDelay(A, B, 10, 30);
      for (let i = 0; i < 20; i++) p.a.transport.send('b', i);
      const delays = p.sends(p.a).map((s) => s.delayMs);
      expect(delays.every((d) => d >= 10 && d <= 30)).toBe(true);
      expect(new Set(delays).size).toBeGreaterThan(1);
      expect(p.clock.pending()).toBe(20);
    });
  });

  describe('crash, cut and close', () => {
    it('drops what arrives while the receiving node is crashed', async () => {
      const p = pair();
      p.a.transport.send('b', 'in flight');
      // The message is on its way (ports deliver asynchronously) when the receiver crashes.
      p.table.setNodeState(B, 'crashed');
      const marker = { marker: 1 };
      p.b.port.once('message', () => {
        // The in-flight message reached b's port while b was crashed; let the marker through.
        p.table.setNodeState(B, 'running');
      });
      await waitFor(() => p.table.nodeState(B) === 'running', 'the in-flight message at b');
      p.a.transport.send('b', marker);
      await waitFor(() => p.b.inbox.length === 1, 'the marker at b');
      expect(p.b.inbox).toEqual([{ from: 'a', message: marker }]);
      expect((p.b.trace.drainMessages() as MessageReceiveRecord[]).map((r) => r.seq)).toEqual([2]);
    });

    it('cut() kills the current transport: it sends nothing and receives nothing', async () => {
      const p = pair();
      const old = p.a.transport;
      p.a.endpoint.cut();
      old.send('b', 'from a dead node');
      expect(p.sends(p.a)).toEqual([]);
      const arrived = new Promise((resolve) => p.a.port.once('message', resolve));
      p.b.transport.send('a', 'to a dead node');
      await arrived;
      // A new incarnation does not get what arrived while there was none.
      p.a.transport = p.a.endpoint.open();
      p.a.transport.onMessage((from, message) => p.a.inbox.push({ from, message }));
      expect(await afterMarker(p.b, p.a, 'a')).toEqual([]);
      expect(await afterMarker(p.a, p.b, 'b')).toEqual([]);
    });

    it('open() replaces the previous incarnation, whose handlers stop receiving', async () => {
      const p = pair();
      const oldInbox: unknown[] = [];
      const old = p.a.endpoint.open();
      old.onMessage((_from, m) => oldInbox.push(m));
      const fresh = p.a.endpoint.open();
      const freshInbox: unknown[] = [];
      fresh.onMessage((_from, m) => freshInbox.push(m));
      old.send('b', 'ignored');
      expect(p.sends(p.a)).toEqual([]);
      p.b.transport.send('a', 'for the new node');
      await waitFor(() => freshInbox.length === 1, 'the message at the new incarnation');
      expect(oldInbox).toEqual([]);
      expect(fresh.self).toBe('a');
    });

    it('stops a handler after its unsubscribe function is called', async () => {
      const p = pair();
      const seen: unknown[] = [];
      const off = p.b.transport.onMessage((_from, m) => seen.push(m));
      off();
      p.a.transport.send('b', 'x');
      await waitFor(() => p.b.inbox.length === 1, 'the message at b');
      expect(seen).toEqual([]);
    });

    it('close() closes its ports, cancels delayed sends and makes later sends no-ops', async () => {
      const baseline = process.getActiveResourcesInfo().filter((r) => r === 'MessagePort').length;
      const p = pair();
      expect(process.getActiveResourcesInfo().filter((r) => r === 'MessagePort').length).toBe(baseline + 2);
      p.table.setDelay(A, B, 100, 100);
      p.a.transport.send('b', 'never');
      p.a.endpoint.close();
      expect(p.clock.pending()).toBe(0);
      p.a.transport.send('b', 'after close');
      expect(p.sends(p.a)).toHaveLength(1);
      await Promise.all([p.a.closed, p.b.closed]);
      await waitFor(() => process.getActiveResourcesInfo().filter((r) => r === 'MessagePort').length === baseline, 'the ports to be released');
    });
  });

  describe('previewOf', () => {
    it('labels messages by channel and type without serialising them', () => {
      expect(previewOf({ ch: 'gossip', m: { type: 'status', big: 'x'.repeat(1000) } })).toBe('gossip:status');
      expect(previewOf({ kind: 'join' })).toBe('join');
      expect(previewOf([1, 2, 3])).toBe('array(3)');
      expect(previewOf({ a: 1 })).toBe('object');
      expect(previewOf('y'.repeat(100))).toBe(JSON.stringify('y'.repeat(40)));
      expect(previewOf(42)).toBe('42');
      expect(previewOf(null)).toBe('null');
    });
  });
});
