import { describe, expect, it } from '@jest/globals';
import { DEFAULT_CLUSTER_SETTINGS, InvalidClusterSettingError, resolveClusterSettings } from '../../src/cluster';
import { diffEvents } from '../../src/cluster/events';
import { decodeClusterMessage } from '../../src/cluster/protocol';
import { gossip, ua } from './helpers/builders';

describe('resolveClusterSettings', () => {
  it('returns the defaults tuned for tests when nothing is overridden', () => {
    expect(resolveClusterSettings()).toEqual(DEFAULT_CLUSTER_SETTINGS);
    expect(DEFAULT_CLUSTER_SETTINGS).toMatchObject({ gossipIntervalMs: 100, heartbeatIntervalMs: 100, unreachableAfterMs: 1000, stableAfterMs: 1000 });
  });

  it('merges valid overrides over the defaults', () => {
    expect(resolveClusterSettings({ stableAfterMs: 300, splitBrainResolver: 'off' })).toMatchObject({ stableAfterMs: 300, splitBrainResolver: 'off', gossipIntervalMs: 100 });
  });

  it('names the setting, the value and what is allowed', () => {
    expect(() => resolveClusterSettings({ gossipIntervalMs: -5 }, 'nodeOptions.cluster')).toThrow(
      "Cluster setting 'gossipIntervalMs' in the nodeOptions.cluster must be a whole number of milliseconds from 1 to 600000; it was given -5.",
    );
    expect(() => resolveClusterSettings({ splitBrainResolver: 'static-quorum' })).toThrow(
      "Cluster setting 'splitBrainResolver' in the cluster settings must be one of 'keep-majority', 'off'; it was given \"static-quorum\".",
    );
  });

  it('rejects unknown settings and lists the known ones', () => {
    let error: unknown;
    try {
      resolveClusterSettings({ gossipInterval: 100 });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidClusterSettingError);
    expect(error).toMatchObject({ code: 'INVALID_CLUSTER_SETTING', setting: 'gossipInterval' });
    expect((error as Error).message).toContain('Known settings are: gossipIntervalMs, heartbeatIntervalMs');
  });

  it('rejects a failure-detector deadline shorter than two heartbeat intervals', () => {
    expect(() => resolveClusterSettings({ heartbeatIntervalMs: 300, unreachableAfterMs: 500 })).toThrow(/'unreachableAfterMs'.*at least twice 'heartbeatIntervalMs' \(300 ms\).*it was given 500/);
  });

  it('probes five ring neighbours by default and accepts a whole number of members from 1 for monitoredByNrOfMembers', () => {
    expect(DEFAULT_CLUSTER_SETTINGS.monitoredByNrOfMembers).toBe(5);
    expect(resolveClusterSettings({ monitoredByNrOfMembers: 31 })).toMatchObject({ monitoredByNrOfMembers: 31 });
    expect(() => resolveClusterSettings({ monitoredByNrOfMembers: 0 })).toThrow(
      "Cluster setting 'monitoredByNrOfMembers' in the cluster settings must be a whole number from 1 to 1000; it was given 0.",
    );
    expect(() => resolveClusterSettings({ monitoredByNrOfMembers: 2.5 })).toThrow(/'monitoredByNrOfMembers'.*it was given 2\.5/);
  });

  it('rejects non-objects', () => {
    expect(() => resolveClusterSettings('fast')).toThrow('The cluster settings must be an object such as { "stableAfterMs": 1000 }; it was given "fast".');
  });
});

describe('decodeClusterMessage', () => {
  const from = { address: 'b', incarnation: 1 };

  it('accepts well-formed messages of every type', () => {
    const g = gossip(['a#0 up 1']);
    for (const message of [
      { type: 'Join', from },
      { type: 'Welcome', from, to: ua('c#0'), gossip: g },
      { type: 'JoinRejected', from, to: ua('c#0'), reason: 'no' },
      { type: 'Gossip', from, gossip: g },
      { type: 'GossipStatus', from, digest: 'x' },
      { type: 'Heartbeat', from, to: ua('a#0'), sequenceNr: 3 },
      { type: 'HeartbeatRsp', from, to: ua('a#0'), sequenceNr: 3 },
    ]) {
      expect(decodeClusterMessage('b', message)).toEqual({ ok: true, message });
    }
  });

  it('rejects unknown types, malformed fields and spoofed senders with a reason', () => {
    expect(decodeClusterMessage('b', { type: 'Hello', from })).toEqual({ ok: false, reason: "its type 'Hello' is not a cluster message type" });
    expect(decodeClusterMessage('b', { type: 'Heartbeat', from, to: ua('a#0'), sequenceNr: -1 }).ok).toBe(false);
    expect(decodeClusterMessage('b', { type: 'Gossip', from, gossip: { content: { members: [{ address: 'a' }] } } }).ok).toBe(false);
    expect(decodeClusterMessage('c', { type: 'Join', from })).toEqual({
      ok: false,
      reason: "its \"from\" address 'b' differs from the transport sender 'c'",
    });
    expect(decodeClusterMessage('b', 'Join').ok).toBe(false);
  });
});

describe('diffEvents', () => {
  const self = ua('a#0');

  it('reports status changes, reachability changes and a new leader, in that order', () => {
    const before = gossip(['a#0 up 1', 'b#0 up 2', 'c#0 joining']);
    const after = gossip(['a#0 leaving 1', 'b#0 up 2', 'c#0 up 3', 'd#0 joining'], { 'c#0': [1, ['b#0']] });
    const events = diffEvents(before, after, self);
    expect(events.map((e) => `${e.type} ${'member' in e ? `${e.member.address}#${e.member.incarnation}` : ''}`.trim())).toEqual([
      'MemberLeft a#0',
      'MemberUp c#0',
      'MemberJoined d#0',
      'UnreachableMember b#0',
    ]);
  });

  it('reports removal with the previous status, and no ReachableMember for a member that was downed', () => {
    const before = gossip(['a#0 up 1', 'b#0 up 2', 'c#0 exiting 3'], { 'a#0': [1, ['b#0']] });
    const after = gossip(['a#0 up 1', 'b#0 down 2', 'c#0 removed 3'], { 'a#0': [1, ['b#0']] });
    expect(diffEvents(before, after, self)).toEqual([
      { type: 'MemberDowned', member: { address: 'b', incarnation: 0, status: 'down', upNumber: 2, reachable: true } },
      { type: 'MemberRemoved', member: { address: 'c', incarnation: 0, status: 'removed', upNumber: 3, reachable: true }, previousStatus: 'exiting' },
    ]);
  });

  it('reports LeaderChanged when the leader becomes unreachable', () => {
    const before = gossip(['a#0 up 1', 'b#0 up 2', 'c#0 up 3']);
    const after = gossip(['a#0 up 1', 'b#0 up 2', 'c#0 up 3'], { 'c#0': [1, ['a#0']] });
    expect(diffEvents(before, after, ua('b#0')).at(-1)).toEqual({ type: 'LeaderChanged', leader: ua('b#0') });
  });
});
