import { describe, expect, it } from '@jest/globals';
import { HeartbeatMonitor } from '../../src/cluster/HeartbeatMonitor';
import type { ClusterMessage } from '../../src/cluster/protocol';
import { FakeClock } from './helpers/FakeClock';
import { content, ua } from './helpers/builders';

function monitor(self: string, monitoredBy = 5): { hb: HeartbeatMonitor; clock: FakeClock; probed: string[] } {
  const clock = new FakeClock();
  const probed: string[] = [];
  const send = (to: string, message: ClusterMessage): void => {
    if (message.type === 'Heartbeat') probed.push(to);
  };
  return { hb: new HeartbeatMonitor(ua(self), 1000, 100, monitoredBy, clock, send), clock, probed };
}

const keys = (members: ReturnType<HeartbeatMonitor['tick']>): string[] => members.map((m) => `${m.address}#${m.incarnation}`);

describe('HeartbeatMonitor', () => {
  it('watches nobody while its own node is joining, so a starting node never accuses anyone', () => {
    const { hb, clock, probed } = monitor('c#0');
    const joining = content(['a#0 up 1', 'b#0 up 2', 'c#0 joining']);
    hb.sync(joining);
    clock.advance(5000);
    expect(keys(hb.tick(joining))).toEqual([]);
    expect(probed).toEqual([]);
  });

  it('starts watching once its node is Up, with a fresh deadline for everyone', () => {
    const { hb, clock, probed } = monitor('c#0');
    hb.sync(content(['a#0 up 1', 'b#0 up 2', 'c#0 joining']));
    clock.advance(5000);
    const up = content(['a#0 up 1', 'b#0 up 2', 'c#0 up 3']);
    hb.sync(up);
    expect(keys(hb.tick(up))).toEqual([]);
    expect(probed).toEqual(['a', 'b']);
    for (let i = 0; i < 11; i++) {
      clock.advance(100);
      hb.tick(up);
    }
    expect(keys(hb.tick(up))).toEqual(['a#0', 'b#0']);
  });

  it('in a large cluster probes only monitoredByNrOfMembers members per tick, its ring neighbours', () => {
    const { hb, probed } = monitor('m00#0', 5);
    const view = content(Array.from({ length: 32 }, (_, i) => `m${String(i).padStart(2, '0')}#0 up ${i + 1}`));
    hb.sync(view);
    hb.tick(view);
    expect(probed).toEqual(['m01', 'm02', 'm03', 'm04', 'm05']);
  });
});
