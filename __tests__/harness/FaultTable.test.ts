import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import * as ts from 'typescript';
import { FaultTable, LINK_BLACKHOLED, LINK_PARTITIONED } from '../../src/harness/FaultTable';

describe('FaultTable', () => {
  it('starts with every link clear and every node running at incarnation 0', () => {
    const table = new FaultTable(3);
    for (let from = 0; from < 3; from++) {
      for (let to = 0; to < 3; to++) {
        expect(table.linkFaults(from, to)).toEqual({ flags: 0, delayMinMs: 0, delayMaxMs: 0, dropProbability: 0 });
      }
    }
    for (let i = 0; i < 3; i++) {
      expect(table.nodeState(i)).toBe('running');
      expect(table.incarnation(i)).toBe(0);
    }
    expect(table.runningCount()).toBe(3);
  });

  it('says a one-way link is clean only while it has no flag, delay or drop', () => {
    const table = new FaultTable(2);
    expect(table.isLinkClean(0, 1)).toBe(true);
    const faults: Array<[(t: FaultTable) => void, (t: FaultTable) => void]> = [
      [(t) => t.setFlag(0, 1, LINK_PARTITIONED, true), (t) => t.setFlag(0, 1, LINK_PARTITIONED, false)],
      [(t) => t.setFlag(0, 1, LINK_BLACKHOLED, true), (t) => t.setFlag(0, 1, LINK_BLACKHOLED, false)],
      [(t) => t.setDelay(0, 1, 0, 5), (t) => t.setDelay(0, 1, 0, 0)],
      [(t) => t.setDelay(0, 1, 5, 5), (t) => t.setDelay(0, 1, 0, 0)],
      [(t) => t.setDrop(0, 1, 0.5), (t) => t.setDrop(0, 1, 0)],
    ];
    for (const [set, clear] of faults) {
      set(table);
      expect([table.isLinkClean(0, 1), table.isLinkClean(1, 0)]).toEqual([false, true]);
      clear(table);
      expect(table.isLinkClean(0, 1)).toBe(true);
    }
  });

  it("lets two views over one buffer see each other's writes", () => {
    const writer = new FaultTable(3);
    const reader = new FaultTable(3, writer.buffer);
    expect(reader.buffer).toBe(writer.buffer);
    writer.setFlag(0, 2, LINK_PARTITIONED, true);
    writer.setDelay(2, 1, 5, 50);
    writer.setNodeState(1, 'crashed');
    expect(reader.linkFaults(0, 2).flags).toBe(LINK_PARTITIONED);
    expect(reader.linkFaults(2, 1)).toMatchObject({ delayMinMs: 5, delayMaxMs: 50 });
    expect(reader.nodeState(1)).toBe('crashed');
    reader.setIncarnation(1, 4);
    expect(writer.incarnation(1)).toBe(4);
  });

  it('rejects a buffer sized for a different number of roles', () => {
    const three = new FaultTable(3);
    expect(() => new FaultTable(4, three.buffer)).toThrow(RangeError);
    expect(() => new FaultTable(4, three.buffer)).toThrow('The fault table buffer holds 42 cells but 4 roles need 72.');
  });

  it('keeps the two directions of a link and every pair apart', () => {
    const table = new FaultTable(3);
    table.setFlag(0, 1, LINK_BLACKHOLED, true);
    expect(table.linkFaults(0, 1).flags).toBe(LINK_BLACKHOLED);
    expect(table.linkFaults(1, 0).flags).toBe(0);
    expect(table.linkFaults(0, 2).flags).toBe(0);
    expect(table.linkFaults(2, 1).flags).toBe(0);
  });

  it('sets and clears flags independently and reports whether anything changed', () => {
    const table = new FaultTable(2);
    expect(table.setFlag(0, 1, LINK_PARTITIONED, true)).toBe(true);
    expect(table.setFlag(0, 1, LINK_PARTITIONED, true)).toBe(false);
    expect(table.setFlag(0, 1, LINK_BLACKHOLED, true)).toBe(true);
    expect(table.linkFaults(0, 1).flags).toBe(LINK_PARTITIONED | LINK_BLACKHOLED);
    expect(table.setFlag(0, 1, LINK_PARTITIONED, false)).toBe(true);
    expect(table.linkFaults(0, 1).flags).toBe(LINK_BLACKHOLED);
    expect(table.setFlag(0, 1, LINK_PARTITIONED, false)).toBe(false);
  });

  it('round-trips delays (rounded to whole ms) and drop probabilities (to a millionth)', () => {
    const table = new FaultTable(2);
    table.setDelay(1, 0, 10.4, 250.6);
    table.setDrop(1, 0, 0.25);
    expect(table.linkFaults(1, 0)).toEqual({ flags: 0, delayMinMs: 10, delayMaxMs: 251, dropProbability: 0.25 });
    table.setDrop(1, 0, 1 / 3);
    expect(table.linkFaults(1, 0).dropProbability).toBeCloseTo(1 / 3, 6);
    table.setDrop(1, 0, 1);
    expect(table.linkFaults(1, 0).dropProbability).toBe(1);
    table.setDelay(1, 0, 0, 0);
    table.setDrop(1, 0, 0);
    expect(table.linkFaults(1, 0)).toEqual({ flags: 0, delayMinMs: 0, delayMaxMs: 0, dropProbability: 0 });
  });

  it('clears every fault of one direction of a link with clearLink', () => {
    const table = new FaultTable(2);
    for (const [from, to] of [[0, 1], [1, 0]] as const) {
      table.setFlag(from, to, LINK_PARTITIONED | LINK_BLACKHOLED, true);
      table.setDelay(from, to, 1, 2);
      table.setDrop(from, to, 0.5);
    }
    table.clearLink(0, 1);
    expect(table.linkFaults(0, 1)).toEqual({ flags: 0, delayMinMs: 0, delayMaxMs: 0, dropProbability: 0 });
    expect(table.linkFaults(1, 0)).toEqual({ flags: LINK_PARTITIONED | LINK_BLACKHOLED, delayMinMs: 1, delayMaxMs: 2, dropProbability: 0.5 });
  });

  it('records every node state and the incarnation per role, and counts only running nodes', () => {
    const table = new FaultTable(4);
    table.setNodeState(0, 'crashed');
    table.setNodeState(1, 'departed');
    table.setNodeState(2, 'terminated');
    expect([0, 1, 2, 3].map((i) => table.nodeState(i))).toEqual(['crashed', 'departed', 'terminated', 'running']);
    expect(table.runningCount()).toBe(1);
    table.setNodeState(0, 'running');
    table.setIncarnation(0, 2);
    expect(table.nodeState(0)).toBe('running');
    expect(table.incarnation(0)).toBe(2);
    expect(table.incarnation(1)).toBe(0);
    expect(table.runningCount()).toBe(2);
  });

  it('does not let node records and link records overlap', () => {
    const table = new FaultTable(2);
    table.setFlag(1, 1, LINK_PARTITIONED, true);
    table.setDrop(1, 1, 1);
    table.setNodeState(0, 'terminated');
    table.setIncarnation(1, 9);
    expect(table.linkFaults(1, 1)).toEqual({ flags: LINK_PARTITIONED, delayMinMs: 0, delayMaxMs: 0, dropProbability: 1 });
    expect(table.nodeState(0)).toBe('terminated');
    expect(table.nodeState(1)).toBe('running');
    expect(table.incarnation(0)).toBe(0);
    expect(table.incarnation(1)).toBe(9);
  });

  it('shares its state with a view in a real worker thread, both ways', async () => {
    // The worker runs the real FaultTable source, transpiled here (a worker cannot load TypeScript).
    const source = readFileSync(join(__dirname, '../../src/harness/FaultTable.ts'), 'utf8');
    const compiled = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      const module = { exports: {} };
      new Function('module', 'exports', 'require', workerData.compiled)(module, module.exports, require);
      const { FaultTable, LINK_BLACKHOLED } = module.exports;
      const table = new FaultTable(3, workerData.buffer);
      const seen = { flags: table.linkFaults(0, 1).flags, state: table.nodeState(2), drop: table.linkFaults(0, 1).dropProbability };
      table.setFlag(2, 0, LINK_BLACKHOLED, true);
      table.setDelay(2, 0, 7, 9);
      table.setNodeState(1, 'departed');
      table.setIncarnation(1, 3);
      parentPort.postMessage(seen);
    `;
    const table = new FaultTable(3);
    table.setFlag(0, 1, LINK_PARTITIONED, true);
    table.setDrop(0, 1, 0.125);
    table.setNodeState(2, 'crashed');
    const worker = new Worker(code, { eval: true, workerData: { buffer: table.buffer, compiled } });
    try {
      const seen = await new Promise<unknown>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      expect(seen).toEqual({ flags: LINK_PARTITIONED, state: 'crashed', drop: 0.125 });
      // The worker wrote before posting its message, so its writes are visible here now.
      expect(table.linkFaults(2, 0)).toEqual({ flags: LINK_BLACKHOLED, delayMinMs: 7, delayMaxMs: 9, dropProbability: 0 });
      expect(table.nodeState(1)).toBe('departed');
      expect(table.incarnation(1)).toBe(3);
      expect(table.runningCount()).toBe(1);
    } finally {
      await worker.terminate();
    }
  });
});
