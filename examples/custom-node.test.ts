/**
 * @jest-environment-options {"multinode": {"roles": ["a", "b", "c"], "node": "./counter-node.ts"}}
 */
/**
 * Example 4: your own distributed code under test.
 *
 * The `node` option (a path relative to rootDir, or a package name) replaces the embedded actor
 * cluster with any `NodeFactory`; see counter-node.ts. Barriers, faults and `eventually` work the
 * same; `multinode.system` is whatever the factory returned.
 */
import type { CounterNode } from './counter-node';

/** This role's counter. */
const counter = (): CounterNode => multinode.system;

describe.multinode('a replicated counter (custom NodeFactory)', () => {
  it('converges on every role after each role increments', async () => {
    // Every role runs this line on its own node.
    counter().increment(multinode.index + 1); // a: +1, b: +2, c: +3
    await eventually(() => expect(counter().total()).toBe(6));
  });

  it('keeps counting on both sides of a partition and converges after the heal', async () => {
    await runOn('a', () => fault.partition(['a', 'b'], 'c'));
    await barrier('partitioned');

    await runOn('a', () => counter().increment(10));
    await runOn('c', () => counter().increment(100));
    // Each side sees only its own side's increments while the network is cut.
    await runOn(['a', 'b'], () => eventually(() => expect(counter().total()).toBe(16)));
    await runOn('c', () => eventually(() => expect(counter().total()).toBe(106)));
    await barrier('diverged');

    await runOn('a', () => fault.heal());
    await barrier('healed');
    // The periodic exchange brings every role to the same total.
    await eventually(() => expect(counter().total()).toBe(116));
  });

  it('gives a restarted node its own earlier increments back from its peers', async () => {
    // The factory is called again for c, with ctx.incarnation 1 and empty slots.
    await runOn('a', () => fault.restart('c'));
    await barrier('restarted');

    await runOn('c', () => expect(counter().incarnation).toBe(1));
    await eventually(() => expect(counter().total()).toBe(116));
  });
});
