import { describe, expect, it } from '@jest/globals';
import { DeadlineFailureDetector } from '../../src/cluster/DeadlineFailureDetector';

describe('DeadlineFailureDetector', () => {
  it('reports a member unreachable once it has been silent for longer than the deadline', () => {
    const fd = new DeadlineFailureDetector(500, 100);
    fd.monitor('b#0', 0);
    fd.heartbeat('b#0', 100);
    expect(fd.isAvailable('b#0', 600)).toBe(true);
    expect(fd.isAvailable('b#0', 601)).toBe(false);
    expect(fd.unreachable(601)).toEqual(['b#0']);
  });

  it('counts the start of monitoring as a heartbeat, so a member that never answers still times out', () => {
    const fd = new DeadlineFailureDetector(500, 100);
    fd.monitor('b#0', 1000);
    expect(fd.unreachable(1500)).toEqual([]);
    expect(fd.unreachable(1501)).toEqual(['b#0']);
  });

  it('becomes available again when a heartbeat answer arrives', () => {
    const fd = new DeadlineFailureDetector(500, 100);
    fd.monitor('b#0', 0);
    expect(fd.isAvailable('b#0', 900)).toBe(false);
    fd.heartbeat('b#0', 900);
    expect(fd.isAvailable('b#0', 900)).toBe(true);
  });

  it('ignores answers from members it does not monitor and forgets unmonitored ones', () => {
    const fd = new DeadlineFailureDetector(500, 100);
    fd.heartbeat('x#0', 0);
    expect(fd.isMonitoring('x#0')).toBe(false);
    fd.monitor('b#0', 0);
    fd.unmonitor('b#0');
    expect(fd.unreachable(10_000)).toEqual([]);
    expect(fd.silenceMs('b#0', 10_000)).toBeUndefined();
  });

  it('re-monitoring keeps the original start, so monitor() can be called on every view change', () => {
    const fd = new DeadlineFailureDetector(500, 100);
    fd.monitor('b#0', 0);
    fd.monitor('b#0', 400);
    expect(fd.silenceMs('b#0', 450)).toBe(450);
  });

  it("credits the observer's own stall to every member instead of blaming them", () => {
    const fd = new DeadlineFailureDetector(500, 100);
    fd.monitor('b#0', 0);
    fd.observeTick(0);
    fd.observeTick(100);
    // The observer's event loop was blocked for 900 ms: its next tick comes at 1000 instead of 200.
    fd.observeTick(1000);
    expect(fd.isAvailable('b#0', 1000)).toBe(true);
    // Without answers after the stall the member does become unreachable, one deadline later.
    expect(fd.isAvailable('b#0', 1500)).toBe(false);
  });

  it('does not compensate ordinary tick jitter', () => {
    const fd = new DeadlineFailureDetector(500, 100);
    fd.monitor('b#0', 0);
    for (let t = 0; t <= 600; t += 150) fd.observeTick(t);
    expect(fd.isAvailable('b#0', 600)).toBe(false);
  });

  it("keeps the exact deadline for a member that has answered every interval, so a crash is seen on time", () => {
    const fd = new DeadlineFailureDetector(1000, 100, 2);
    fd.monitor('b#0', 0);
    for (let t = 100; t <= 2000; t += 100) fd.heartbeat('b#0', t);
    expect(fd.deadlineMs('b#0')).toBe(1000);
    expect(fd.isAvailable('b#0', 3000)).toBe(true);
    expect(fd.isAvailable('b#0', 3001)).toBe(false);
  });

  it("stretches a member's deadline to twice its recent longest silence, so a member that stalls now and then is not blamed", () => {
    const fd = new DeadlineFailureDetector(1000, 100, 2);
    fd.monitor('b#0', 0);
    // b's thread was starved for 800 ms once (answers at 100, then 900).
    fd.heartbeat('b#0', 100);
    fd.heartbeat('b#0', 900);
    expect(fd.deadlineMs('b#0')).toBe(1600);
    // Its next stall, of 1.4 s, does not make it unreachable ...
    expect(fd.isAvailable('b#0', 2300)).toBe(true);
    // ... a silence longer than the stretched deadline does ...
    expect(fd.isAvailable('b#0', 2501)).toBe(false);
    // ... and the stretch never exceeds maxStretch times the configured deadline.
    fd.heartbeat('b#0', 6000);
    expect(fd.deadlineMs('b#0')).toBe(2000);
  });

  it('lets the stretch fade once the member answers regularly again', () => {
    const fd = new DeadlineFailureDetector(1000, 100, 2);
    fd.monitor('b#0', 0);
    fd.heartbeat('b#0', 900);
    let t = 900;
    for (let i = 0; i < 150; i++) fd.heartbeat('b#0', (t += 100));
    expect(fd.deadlineMs('b#0')).toBe(1000);
  });
});
