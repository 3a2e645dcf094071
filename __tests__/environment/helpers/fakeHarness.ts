import { jest } from '@jest/globals';
import type { HarnessClient } from '../../../src/harness/HarnessClient';
import type { NodeHost } from '../../../src/harness/NodeHost';
import { FaultTable } from '../../../src/harness/FaultTable';
import { RealmSlot, harnessRealm } from '../../../src/harness/NodeRealm';
import { TraceBuffer, type RawTraceEvent } from '../../../src/harness/TraceBuffer';
import type { FaultCommand } from '../../../src/harness/traceTypes';
import { FakeClock } from '../../harness/helpers';

export const ROLES = ['a', 'b', 'c'] as const;
export const NO_HARNESS = 'needs a running multi-node harness, which is not started while Jest only collects tests.';

/** A harness client that records what the globals ask of it. */
export class FakeHarness {
  readonly clock = new FakeClock();
  readonly events: RawTraceEvent[] = [];
  readonly trace: TraceBuffer;
  readonly table = new FaultTable(ROLES.length);
  readonly barrier = jest.fn(async (_testId: string | null, _name: string, _roles: readonly string[] | null, _timeoutMs: number): Promise<void> => undefined);
  readonly gather = jest.fn(
    async (_testId: string | null, _name: string, _roles: readonly string[] | null, _timeoutMs: number, value: unknown): Promise<Record<string, unknown>> => ({ a: value }),
  );
  readonly fault = jest.fn(async (_command: FaultCommand): Promise<void> => undefined);
  readonly host = {
    system: { name: 'the node' } as unknown,
    awaitMembersUp: jest.fn(async (_count: number, _timeoutMs: number): Promise<void> => undefined),
  };
  readonly client: HarnessClient;
  readonly realm = new RealmSlot();

  constructor(role: string) {
    this.trace = new TraceBuffer(role, this.clock, (event) => this.events.push(event));
    this.realm.set(harnessRealm(async () => Promise.reject(new Error('no node in this fake'))));
    this.client = {
      role,
      roles: ROLES,
      seed: 42,
      isLead: role === ROLES[0],
      endpoints: null,
      settings: { barrierTimeoutMs: 10_000, testTimeoutMs: 30_000 },
      clock: this.clock,
      trace: this.trace,
      host: this.host as unknown as NodeHost,
      table: this.table,
      realm: this.realm,
      startNode: async () => undefined,
      plan: () => undefined,
      begin: async () => null,
      failedEarly: () => undefined,
      done: async () => null,
      publishVerdict: () => undefined,
      awaitVerdict: async () => null,
      roleError: () => undefined,
      finish: async () => [],
      barrier: this.barrier,
      gather: this.gather,
      fault: this.fault,
    };
  }

  /** The trace events recorded, without their stamps. */
  recorded(): Array<Record<string, unknown>> {
    return this.events.map((e) => {
      const { time: _time, role: _role, lamport: _lamport, test: _test, ...rest } = e as RawTraceEvent & Record<string, unknown>;
      return rest;
    });
  }
}
