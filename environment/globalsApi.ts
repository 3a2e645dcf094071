import { type HarnessClient, type NodeEndpoint, type RunMode, copyGatherValue, serializedSize, faultCommand, isolateCommand, type RoleSet, UnknownRoleError, type FaultCommand } from '../src/harness';
import { inRoleScope } from './runOnScope';
import { atCallSite, CallSites, captureCallSite } from './callSite';
import { MultinodeError, describeValue, systemClock, type Clock } from '../src/util';

/** Thrown when a harness call is made where it cannot work (no harness, wrong argument). */
export class HarnessUsageError extends MultinodeError {
  constructor(message: string) {
    super('HARNESS_USAGE', message);
  }
}

/** `multinode`: who this role is, its node, and cluster readiness. */
export interface MultinodeInfo<S = unknown> {
  /** This role's name. */
  readonly role: string;
  /** Every role of the file, lead first. */
  readonly roles: readonly string[];
  /** Position of this role in `roles`. */
  readonly index: number;
  /** True on the lead role (`roles[0]`), which runs in Jest's own context. */
  readonly isLead: boolean;
  /** The seed of this run; rerun with `MULTINODE_SEED=<seed>`. */
  readonly seed: number;
  /** Where the roles run: 'threads', 'simulation' (every role in one thread, on virtual time) or 'processes' (every node in its own OS process). */
  readonly mode: RunMode;
  /** This role's node (`NodeHandle.system`); after `fault.restart`, the new one; while dead, the last one. */
  readonly system: S;
  /**
   * `system`, typed by the caller: `multinode.systemAs<KvSystem>()`. The type is not checked at run
   * time; it saves a cast where `system` (typed `any` on the global) would otherwise spread untyped.
   * Throws while Jest only collects tests, when there is no node.
   */
  systemAs<T = S>(): T;
  /**
   * Resolves when this node sees exactly `count` members Up and reachable (default: roles whose node
   * is neither crashed nor departed). Needs a node whose handle has `membersUp()`.
   */
  awaitMembersUp(count?: number, opts?: { timeoutMs?: number }): Promise<void>;
  /**
   * Asks this role's node `NodeHandle.inspect(query)`, within `nodeTimeoutMs`; query and answer are
   * structured-clone copies. Rejects, saying why, when the node is crashed or departed, or its handle
   * has no `inspect`. Works the same in every mode.
   */
  inspect(query?: unknown): Promise<unknown>;
  /**
   * Processes mode with a process spec: where this role's node listens (`{ host, port, url }`), the
   * same for every incarnation. Connections to it go straight to the node, never through a fault:
   * a pod-pinned client. Throws in other modes and with NodeFactory nodes.
   */
  readonly endpoint: NodeEndpoint;
  /** `endpoint` of another role's node. */
  endpointOf(role: string): NodeEndpoint;
}

/** Options of `barrier` and `gather`. */
export interface BarrierOptions {
  /** Overrides `barrierTimeoutMs` for this call. */
  timeoutMs?: number;
  /** The participating roles (default: every role). */
  roles?: readonly string[];
}

/** Options of `eventually`. */
export interface EventuallyOptions {
  /** How long to keep trying (default 5000 ms). */
  timeoutMs?: number;
  /** Pause between attempts (default 25 ms). */
  intervalMs?: number;
}

/** `fault`: break and mend the network and the nodes. Every call takes effect on all roles before it resolves. */
export interface FaultApi {
  partition(sideA: RoleSet, sideB: RoleSet): Promise<void>;
  isolate(role: string): Promise<void>;
  blackhole(from: string, to: string): Promise<void>;
  heal(a?: RoleSet, b?: RoleSet): Promise<void>;
  delay(from: string, to: string, ms: number | { minMs: number; maxMs: number }): Promise<void>;
  drop(from: string, to: string, probability: number): Promise<void>;
  crash(role: string): Promise<void>;
  restart(role: string): Promise<void>;
  leave(role: string): Promise<void>;
}

/** The functions installed as globals of every role's copy of the test file. */
export interface MultinodeGlobals {
  multinode: MultinodeInfo;
  runOn<T>(roles: string | readonly string[], fn: () => T | Promise<T>): Promise<T | undefined>;
  barrier(name: string, opts?: BarrierOptions): Promise<void>;
  gather<T>(name: string, value: T, opts?: BarrierOptions): Promise<Record<string, T>>;
  eventually<T>(fn: () => T | Promise<T>, opts?: EventuallyOptions): Promise<T>;
  fault: FaultApi;
}

const DEFAULT_MEMBERS_UP_TIMEOUT_MS = 15_000;

/**
 * Builds the globals of one role. `client` is null while Jest only collects tests: every call
 * that needs the harness then rejects with a clear error.
 */
export function createGlobals(
  identity: { role: string; roles: readonly string[]; seed: number; mode?: RunMode },
  client: () => HarnessClient | null,
  clock: Clock = systemClock,
  /** The name of the running test when it is outside describe.multinode (it runs on the lead only). */
  leadOnlyTest: () => string | null = () => null,
): MultinodeGlobals {
  const { role, roles } = identity;
  const sites = new CallSites();
  const need = (what: string): HarnessClient => {
    const current = client();
    if (current === null) throw new HarnessUsageError(`${what} needs a running multi-node harness, which is not started while Jest only collects tests.`);
    return current;
  };
  const checkRoles = (value: unknown, where: string): string[] => {
    const list = typeof value === 'string' ? [value] : Array.isArray(value) ? (value as unknown[]) : null;
    if (list === null || !list.every((r): r is string => typeof r === 'string')) {
      throw new HarnessUsageError(`${where} needs a role name or an array of role names; it was given ${describeValue(value)}.`);
    }
    const unknown = list.filter((r) => !roles.includes(r));
    if (unknown.length > 0) throw new UnknownRoleError(unknown, roles, where);
    return list;
  };
  const ms = (value: unknown, where: string, fallback: number): number => {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new HarnessUsageError(`${where} must be a positive number of milliseconds; it was ${describeValue(value)}.`);
    }
    return value;
  };

  const endpointOf = (of: string, what: string): NodeEndpoint => {
    const endpoints = need(what).endpoints;
    if (endpoints === null) {
      throw new HarnessUsageError(
        `${what} is the address of a process-spec node, in processes mode; this file runs in ${identity.mode ?? 'threads'} mode${identity.mode === 'processes' ? ' with a NodeFactory node (use multinode.inspect)' : ''}.`,
      );
    }
    return { ...endpoints[of]! };
  };

  const multinode: MultinodeInfo = {
    role,
    roles,
    index: roles.indexOf(role),
    isLead: role === roles[0],
    seed: identity.seed,
    mode: identity.mode ?? 'threads',
    get system() {
      return client()?.host.system;
    },
    systemAs<T>(): T {
      return need('multinode.systemAs').host.system as T;
    },
    async awaitMembersUp(count, opts) {
      const harness = need('multinode.awaitMembersUp');
      const expected = count ?? harness.table.runningCount();
      if (!Number.isInteger(expected) || expected < 0) {
        throw new HarnessUsageError(`multinode.awaitMembersUp needs a member count that is a whole number >= 0; it was given ${describeValue(count)}.`);
      }
      await harness.host.awaitMembersUp(expected, ms(opts?.timeoutMs, 'awaitMembersUp timeoutMs', DEFAULT_MEMBERS_UP_TIMEOUT_MS));
    },
    inspect(query) {
      return need('multinode.inspect').host.inspect(query);
    },
    get endpoint() {
      return endpointOf(role, 'multinode.endpoint');
    },
    endpointOf(of: string) {
      checkRoles(of, 'multinode.endpointOf');
      if (typeof of !== 'string') throw new HarnessUsageError(`multinode.endpointOf needs one role name; it was given ${describeValue(of)}.`);
      return endpointOf(of, `multinode.endpointOf('${of}')`);
    },
  };

  /** The checks `barrier` and `gather` share: name, roles (this role among them), timeout, reachable roles. */
  const enterCheck = (what: 'barrier' | 'gather', name: unknown, opts: BarrierOptions) => {
    if (typeof name !== 'string' || name === '') throw new HarnessUsageError(`${what} needs a non-empty name; it was given ${describeValue(name)}.`);
    const call = `${what}('${name}')`;
    const harness = need(call);
    const participants = opts.roles === undefined ? null : checkRoles(opts.roles, `${call} roles`);
    if (participants !== null && participants.length === 0) throw new HarnessUsageError(`${call} was given an empty roles list; name at least one role.`);
    const timeoutMs = ms(opts.timeoutMs, `${call} timeoutMs`, harness.settings.barrierTimeoutMs);
    if (participants !== null && !participants.includes(role)) {
      throw new HarnessUsageError(
        `Role '${role}' called ${call}, but its roles are ${participants.map((r) => `'${r}'`).join(', ')}; call it only from those roles (for example inside runOn).`,
      );
    }
    const others = (participants ?? roles).filter((r) => r !== role);
    const soloTest = leadOnlyTest();
    if (soloTest !== null && others.length > 0) {
      throw new HarnessUsageError(
        `${call} was called in "${soloTest}", a test outside describe.multinode that runs on the lead only, so ${others.map((r) => `'${r}'`).join(', ')} can never reach it. Move the test into describe.multinode, or pass roles: ['${role}'].`,
      );
    }
    return { harness, participants, timeoutMs };
  };

  const runFault = async (command: () => FaultCommand): Promise<void> => {
    const harness = need('fault');
    const built = command();
    harness.trace.fault(built);
    await harness.fault(built);
  };

  const fault: FaultApi = {
    partition: (a, b) => runFault(() => faultCommand('partition', [a, b], roles)),
    isolate: (r) => runFault(() => isolateCommand(r, roles)),
    blackhole: (from, to) => runFault(() => faultCommand('blackhole', [from, to], roles)),
    heal: (a, b) => runFault(() => faultCommand('heal', [a, b], roles)),
    delay: (from, to, delay) => runFault(() => faultCommand('delay', [from, to, delay], roles)),
    drop: (from, to, probability) => runFault(() => faultCommand('drop', [from, to, probability], roles)),
    crash: (r) => runFault(() => faultCommand('crash', [r], roles)),
    restart: (r) => runFault(() => faultCommand('restart', [r], roles)),
    leave: (r) => runFault(() => faultCommand('leave', [r], roles)),
  };

  const globals: MultinodeGlobals = {
    multinode,
    async runOn(targets, fn) {
      const list = checkRoles(targets, 'runOn');
      if (typeof fn !== 'function') throw new HarnessUsageError(`runOn needs a function to run; it was given ${describeValue(fn)}.`);
      return list.includes(role) ? await inRoleScope(list, fn) : undefined;
    },
    async barrier(name, opts = {}) {
      const callSite = captureCallSite(globals.barrier);
      const { harness, participants, timeoutMs } = enterCheck('barrier', name, opts);
      harness.trace.record({ type: 'barrier-enter', name, ...sites.of(globals.barrier) });
      try {
        await harness.barrier(harness.trace.currentTest, name, participants, timeoutMs);
        harness.trace.record({ type: 'barrier-leave', name, outcome: 'passed' });
      } catch (error) {
        harness.trace.record({ type: 'barrier-leave', name, outcome: 'failed' });
        throw atCallSite(error, callSite);
      }
    },
    async gather<T>(name: string, value: T, opts: BarrierOptions = {}): Promise<Record<string, T>> {
      const callSite = captureCallSite(globals.gather);
      const { harness, participants, timeoutMs } = enterCheck('gather', name, opts);
      let own: { copy: unknown; bytes: number };
      try {
        own = copyGatherValue(name, value);
      } catch (error) {
        throw atCallSite(error, callSite);
      }
      harness.trace.record({ type: 'barrier-enter', name, gather: { values: 1, bytes: own.bytes }, ...sites.of(globals.gather) });
      let values: Record<string, unknown>;
      try {
        values = await harness.gather(harness.trace.currentTest, name, participants, timeoutMs, own.copy);
      } catch (error) {
        harness.trace.record({ type: 'barrier-leave', name, outcome: 'failed', gather: { values: 0, bytes: 0 } });
        throw atCallSite(error, callSite);
      }
      harness.trace.record({ type: 'barrier-leave', name, outcome: 'passed', gather: { values: Object.keys(values).length, bytes: serializedSize(values) } });
      // The values arrive as objects of the harness's realm; the test must get objects of its own.
      return harness.realm.get().copy(values) as Record<string, T>;
    },
    async eventually(fn, opts = {}) {
      const timeoutMs = ms(opts.timeoutMs, 'eventually timeoutMs', 5_000);
      const intervalMs = ms(opts.intervalMs, 'eventually intervalMs', 25);
      const started = clock.now();
      let attempts = 0;
      let lastError: unknown = null;
      for (;;) {
        attempts++;
        // An attempt may run past the deadline by at most one interval; one that never settles is cut off.
        const outcome = await attemptWithin(fn, Math.max(intervalMs, timeoutMs - (clock.now() - started)), clock);
        if (outcome.kind === 'value') return outcome.value;
        if (outcome.kind === 'error') lastError = outcome.error;
        const elapsed = clock.now() - started;
        if (outcome.kind === 'stalled' || elapsed >= timeoutMs) {
          throw explainEventually(lastError ?? new Error('The last attempt did not settle.'), elapsed, attempts, timeoutMs);
        }
        await new Promise<void>((resolve) => clock.schedule(Math.min(intervalMs, Math.max(0, timeoutMs - elapsed)), resolve));
      }
    },
    fault,
  };
  return globals;
}

/** Runs one attempt of `eventually`; an attempt that has not settled within `withinMs` counts as stalled. */
async function attemptWithin<T>(
  fn: () => T | Promise<T>,
  withinMs: number,
  clock: Clock,
): Promise<{ kind: 'value'; value: T } | { kind: 'error'; error: unknown } | { kind: 'stalled' }> {
  let timer: { cancel(): void } | null = null;
  const stalled = new Promise<{ kind: 'stalled' }>((resolve) => {
    timer = clock.schedule(withinMs, () => resolve({ kind: 'stalled' }));
  });
  const attempt = Promise.resolve()
    .then(fn)
    .then(
      (value) => ({ kind: 'value' as const, value }),
      (error: unknown) => ({ kind: 'error' as const, error }),
    );
  try {
    const outcome = await Promise.race([attempt, stalled]);
    // An attempt that settled in the same turn as its deadline still counts.
    return outcome.kind === 'stalled' ? await Promise.race([attempt, Promise.resolve(outcome)]) : outcome;
  } finally {
    (timer as { cancel(): void } | null)?.cancel();
  }
}

function explainEventually(error: unknown, elapsedMs: number, attempts: number, timeoutMs: number): Error {
  const note = `eventually gave up after ${Math.round(elapsedMs)} ms (timeout ${timeoutMs} ms) and ${attempts} attempt${attempts === 1 ? '' : 's'}; this was the last error.`;
  if (error instanceof Error || (typeof error === 'object' && error !== null && 'message' in error)) {
    const e = error as Error;
    const original = String(e.message);
    // Read the stack first: V8 may format it lazily, and would then print the new message already.
    const stack = e.stack;
    e.message = `${original}\n\n${note}`;
    if (typeof stack === 'string' && stack.includes(original)) e.stack = stack.replace(original, e.message);
    return e;
  }
  return new Error(`${note} It threw ${describeValue(error)}.`);
}
