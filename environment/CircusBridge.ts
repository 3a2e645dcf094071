import type { Circus } from '@jest/types';
import type { HarnessClient, RoleResult, TestPlanEntry, RoleOutcome } from '../src/harness';
import { deserializeError, serializeError } from '../src/util';
import { MultinodeBlocks, type RuntimeDescribe } from './describeMultinode';
import { failingTestErrors, followVerdict, isFailingTestPassed } from './testVerdict';
import { applyMultinodeTimeouts } from './timeouts';
import { mergeErrors, primaryError, stampOutsideTest, tag } from './verdictErrors';
import type { SnapshotExchange } from './snapshots';

export { MultinodeDescribeError, type MultinodeDescribeOptions } from './describeMultinode';

/**
 * Connects jest-circus's events to the harness for one role: marks `describe.multinode` blocks,
 * skips tests outside them on non-lead roles, starts multi-node tests in lockstep, reports each
 * role's result, and on the lead merges every role's result into the test's one verdict.
 */
export class CircusBridge {
  private readonly blocks = new MultinodeBlocks();
  private readonly started = new WeakMap<Circus.TestEntry, number>();
  private readonly multinodeTests = new WeakSet<Circus.TestEntry>();
  /** The lead-only test (outside describe.multinode) running now, if any. */
  leadOnlyTest: string | null = null;
  /** Errors outside tests already reported to the harness (by the thrown value), with when they happened. */
  private readonly reported = new Map<unknown, number>();

  constructor(
    private readonly role: string,
    private readonly isLead: boolean,
    private readonly testTimeoutMs: number,
    /** The user's explicit Jest timeout (see `explicitJestTimeoutMs`), read at run_start. */
    private readonly explicitJestTimeoutMs: () => number | null,
    private readonly client: () => HarnessClient | null,
    private readonly snapshots: SnapshotExchange,
    /** Called on the lead with each finished test, for the trace. */
    private readonly onTestFinished: (test: Circus.TestEntry, id: string, multinode: boolean, startedAt: number, results: Map<string, RoleResult>) => void,
  ) {}

  /** Handles one circus event; circus awaits the returned promise. */
  async handle(event: Circus.Event, state: Circus.State): Promise<void> {
    switch (event.name) {
      case 'setup':
        this.blocks.install(event.runtimeGlobals.describe as unknown as RuntimeDescribe, state);
        return;
      case 'start_describe_definition':
        this.blocks.blockStarted(state.currentDescribeBlock);
        return;
      case 'add_test':
        this.addTest(state);
        return;
      case 'run_start': {
        applyMultinodeTimeouts(state.rootDescribeBlock, (block) => this.blocks.optionsOf(block), this.explicitJestTimeoutMs(), this.testTimeoutMs);
        // The file is loaded and its tests are collected: only now start the nodes (see startNode).
        const client = this.client();
        if (client === null) return;
        client.plan(this.plan(state));
        await client.startNode();
        return;
      }
      case 'test_started':
        return this.testStarted(event.test);
      case 'test_fn_failure':
        if (this.multinodeTests.has(event.test) && !isFailingTestPassed(event.test, event.error)) {
          this.client()?.failedEarly(testId(event.test), serializeError(event.error));
        }
        return;
      case 'test_done':
        return this.testDone(event.test);
      case 'error':
        // Outside a test circus keeps the error for the file; report it now, with its time.
        if (event.promise === undefined && state.currentlyRunningTest === null) this.reportOutsideTest(event.error);
        return;
      case 'hook_failure':
        if (event.hook.type === 'afterAll') this.reportOutsideTest(event.error);
        return;
      case 'run_finish':
        return this.runFinish(state);
      case 'teardown':
        // Unhandled rejections join circus's errors after this handler saw run_finish.
        this.sweepUnhandled(state);
        return;
      default:
        return;
    }
  }

  private reportOutsideTest(error: unknown): void {
    const primary = primaryError(error as Circus.TestError);
    if (this.reported.has(primary)) return;
    const client = this.client();
    if (client === null) return;
    const time = client.clock.now();
    this.reported.set(primary, time);
    client.roleError(primary, time);
  }

  private sweepUnhandled(state: Circus.State): void {
    for (const error of state.unhandledErrors) this.reportOutsideTest(error);
  }

  /**
   * The end of this role's file. The lead ends the file on every role (nodes stopped, threads ended)
   * while circus still catches what a node throws, and fails the file with every other role's error
   * that no test result reported, each tagged with its role and the time it happened.
   */
  private async runFinish(state: Circus.State): Promise<void> {
    this.sweepUnhandled(state);
    const client = this.client();
    if (client === null) return;
    const others = await client.finish();
    if (!this.isLead) return;
    for (const raw of state.unhandledErrors) {
      const error = primaryError(raw) as Error;
      const time = this.reported.get(error);
      if (time !== undefined) stampOutsideTest(tag(error, this.role), time);
    }
    for (const { role, time, error } of others) {
      const pushed = stampOutsideTest(tag(deserializeError(error), role), time);
      this.reported.set(pushed, time);
      state.unhandledErrors.push(pushed);
    }
  }

  private addTest(state: Circus.State): void {
    const block = state.currentDescribeBlock;
    const test = block.children[block.children.length - 1];
    if (test === undefined || test.type !== 'test') return;
    if (this.blocks.optionsOf(block) !== null) {
      this.multinodeTests.add(test);
      this.blocks.testAdded(test);
    } else if (!this.isLead) {
      // Tests outside describe.multinode run on the lead only; skipping them here also skips their hooks.
      test.mode = 'skip';
    }
  }

  /** The multi-node tests this role will run, in order, with circus's own selection rules. */
  private plan(state: Circus.State): TestPlanEntry[] {
    const plan: TestPlanEntry[] = [];
    const visit = (block: Circus.DescribeBlock): void => {
      for (const child of block.children) {
        if (child.type === 'describeBlock') {
          visit(child);
          continue;
        }
        if (!this.multinodeTests.has(child)) continue;
        const id = testId(child);
        const skipped =
          child.parent.mode === 'skip' ||
          child.mode === 'skip' ||
          child.mode === 'todo' ||
          (state.hasFocusedTests && child.mode === undefined) ||
          (state.testNamePattern != null && !state.testNamePattern.test(id));
        if (!skipped) plan.push({ id, timeoutMs: child.timeout ?? this.testTimeoutMs });
      }
    };
    visit(state.rootDescribeBlock);
    return plan;
  }

  private async testStarted(test: Circus.TestEntry): Promise<void> {
    const client = this.client();
    const id = testId(test);
    if (client !== null) client.trace.currentTest = id;
    this.started.set(test, client?.clock.now() ?? 0);
    if (client === null) return;
    if (!this.multinodeTests.has(test)) {
      this.leadOnlyTest = id;
      return;
    }
    const error = await client.begin(id, test.timeout ?? this.testTimeoutMs);
    if (error !== null) test.errors.push(error);
    // The lockstep wait is not the test's own time.
    this.started.set(test, client.clock.now());
    client.trace.record({ type: 'test-start' });
  }

  private async testDone(test: Circus.TestEntry): Promise<void> {
    const client = this.client();
    if (client === null) return;
    const id = testId(test);
    const startedAt = this.started.get(test) ?? client.clock.now();
    const multinode = this.multinodeTests.has(test);
    const own: RoleResult = {
      status: test.errors.length > 0 ? 'failed' : 'passed',
      durationMs: client.clock.now() - startedAt,
      errors: test.errors.map((e) => serializeError(primaryError(e))),
      snapshots: this.snapshots.take(),
    };
    if (multinode) client.trace.testEnd(own.status);
    client.trace.currentTest = null;
    this.leadOnlyTest = null;
    if (!multinode) {
      if (this.isLead) this.onTestFinished(test, id, false, startedAt, new Map([[this.role, own]]));
      return;
    }
    const results = await client.done(id, own);
    if (results === null) {
      // Another role: its errors follow the merged verdict, so circus retries it with the lead.
      followVerdict(test.errors, await client.awaitVerdict(id), this.role);
      return;
    }
    try {
      // The conductor may have marked the lead's own errors as consequences of another role.
      if (!results.has(this.role)) results.set(this.role, own);
      this.snapshots.check(own.snapshots ?? [], results, test);
      const merged = mergeErrors(this.role, test.errors, results);
      test.errors.splice(0, test.errors.length, ...(test.failing ? failingTestErrors(test, merged, results) : merged));
    } finally {
      client.publishVerdict(id, test.errors.length > 0);
    }
    this.onTestFinished(test, id, true, startedAt, results);
  }
}

/** Jest's full test name: the describe titles and the test title, joined by spaces. */
export function testId(test: Circus.TestEntry): string {
  const titles: string[] = [test.name];
  for (let block = test.parent; block?.parent !== undefined; block = block.parent) titles.unshift(block.name);
  return titles.join(' ');
}

/** The titles from the outermost describe to the test. */
export function testTitles(test: Circus.TestEntry): string[] {
  return testId(test) === test.name ? [test.name] : [...titlesOf(test.parent), test.name];
}

function titlesOf(block: Circus.DescribeBlock): string[] {
  const titles: string[] = [];
  for (let b: Circus.DescribeBlock | undefined = block; b?.parent !== undefined; b = b.parent) titles.unshift(b.name);
  return titles;
}

export type { RoleOutcome };
