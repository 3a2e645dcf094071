import { FaultApplier, type FaultHost } from '../../src/harness/FaultApplier';
import { FaultTable, LINK_PARTITIONED } from '../../src/harness/FaultTable';
import type { NodeOp } from '../../src/harness/protocol';

describe('FaultApplier', () => {
  const roles = ['a', 'b', 'c'];
  let table: FaultTable;
  let calls: string[];
  let host: FaultHost;

  beforeEach(() => {
    table = new FaultTable(roles.length);
    calls = [];
    host = {
      roles,
      indexOf: (role) => roles.indexOf(role),
      isTerminated: () => false,
      nodeOp: async (role: string, op: NodeOp, incarnation: number) => void calls.push(`${op} ${role} ${incarnation}`),
      // Processes mode: every node process applies the table before the fault call resolves.
      linksChanged: async () => void calls.push(`links changed (a|b partitioned: ${table.linkFaults(0, 1).flags & LINK_PARTITIONED ? 'yes' : 'no'})`),
    };
  });

  it('tells the nodes after every link fault is in the table, and resolves only once they applied it', async () => {
    let applied!: () => void;
    host.linksChanged = () => new Promise<void>((resolve) => (applied = resolve));
    const applier = new FaultApplier(table, host);
    let done = false;
    const partition = applier.apply({ kind: 'partition', sideA: ['a'], sideB: ['b'] }).then(() => (done = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toBe(false);
    applied();
    await partition;
    expect(done).toBe(true);
  });

  it('writes link faults before the nodes hear of them; node faults run on the node hosts without a link change', async () => {
    const applier = new FaultApplier(table, host);
    await applier.apply({ kind: 'partition', sideA: ['a'], sideB: ['b'] });
    await applier.apply({ kind: 'heal' });
    await applier.apply({ kind: 'crash', role: 'c' });
    await applier.apply({ kind: 'restart', role: 'c' });
    expect(calls).toEqual(['links changed (a|b partitioned: yes)', 'links changed (a|b partitioned: no)', 'crash c 0', 'start c 1']);
  });
});
