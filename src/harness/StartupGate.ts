import { asError, type Cancellable, type Clock, serializeError, type SerializedError } from '../util';
import { HarnessTimeoutError, SetupFailedError, withoutFrames } from './errors';

/** What the start-up gate needs from the conductor. */
export interface StartupHost {
  /** Every role, lead first. */
  readonly roles: readonly string[];
  /** Resolves when the role's first node has started (or the role left the file); rejects when it failed to start. */
  nodeReady(role: string): Promise<void>;
  /** Whether the role's first node has started. */
  nodeStarted(role: string): boolean;
  /** Whether the role's thread was ended. */
  isTerminated(role: string): boolean;
  terminate(role: string, reason: string): void;
  /** Waits until the role's node sees `count` members Up (rejecting at once when it never can). */
  awaitMembersUp(role: string, count: number, timeoutMs: number): Promise<void>;
  /** Tells a role other than the lead that set-up is done: `error` is null, its own error, or a consequence. */
  tell(role: string, error: SerializedError | null): void;
}

/** Timing of the start-up gate, in milliseconds. */
export interface StartupSettings {
  /** Every node started and, for the embedded cluster, all members Up. */
  readonly setupTimeoutMs: number;
  /** Extra time for a role's own deadline to fire before the gate gives up on it. */
  readonly graceMs: number;
  /** Once one role failed, how long the others get to report their own outcome. */
  readonly settleAfterFailureMs: number;
}

interface Settled {
  readonly failures: Map<string, Error>;
  readonly pending: Set<string>;
}

/**
 * The start of a file: waits for every role's node, then (for the embedded cluster) for every node
 * to see all members Up, and lets the roles run their tests. When set-up fails, every role gets its
 * own error (a member downed, a node that never started) or, if it had none, a consequence naming the
 * roles that failed; the lead's error lists every role's own. It fails as soon as every role has
 * answered, or a short while after the first failure, not at the set-up deadline.
 */
export class StartupGate {
  private told = false;

  constructor(
    private readonly host: StartupHost,
    private readonly clock: Clock,
    private readonly settings: StartupSettings,
  ) {}

  /** Runs the start-up; throws the lead's error when set-up failed. */
  async run(membersUp: boolean): Promise<void> {
    const { roles } = this.host;
    const lead = roles[0]!;
    const timeoutMs = this.settings.setupTimeoutMs;
    const started = await this.settle(roles, (role) => this.host.nodeReady(role), timeoutMs);
    const failures = started.failures;
    for (const role of started.pending) {
      if (role === lead) {
        failures.set(role, withoutFrames(new HarnessTimeoutError(`The lead role '${lead}''s node did not start within ${timeoutMs} ms; raise the setupTimeoutMs option if it needs longer.`)));
      } else {
        this.host.terminate(role, `its node was not started within ${timeoutMs} ms (its factory had not resolved, or the role was stuck loading the test file); raise the setupTimeoutMs option if it needs longer`);
      }
    }
    if (failures.size === 0 && membersUp) {
      const members = roles.filter((r) => this.host.nodeStarted(r) && !this.host.isTerminated(r));
      const count = members.length;
      const up = await this.settle(members, (role) => this.host.awaitMembersUp(role, count, timeoutMs), timeoutMs + this.settings.graceMs);
      for (const [role, error] of up.failures) failures.set(role, error);
      const waitingFor = up.failures.size > 0 ? `set-up failed on ${list([...up.failures.keys()])}` : `its deadline of ${timeoutMs} ms (setupTimeoutMs) passed`;
      for (const role of up.pending) {
        failures.set(role, withoutFrames(new HarnessTimeoutError(`Role '${role}' was still waiting for ${count} members Up when ${waitingFor}.`)));
      }
    }
    if (failures.size === 0) {
      this.tellAll(() => null);
      return;
    }
    const failed = [...failures.keys()];
    const summary = failed.map((role) => `[${role}] ${serializeError(failures.get(role)).message}`).join('\n');
    const consequence = serializeError(
      withoutFrames(
        new SetupFailedError(`Set-up failed on ${list(failed)}, so this role's tests cannot run. This is a consequence of their failure, not a second root cause:\n${summary}`, failed[0]!),
      ),
    );
    this.tellAll((role) => (failures.has(role) ? serializeError(failures.get(role)) : consequence));
    throw withoutFrames(new SetupFailedError(`Set-up failed on ${list(failed)}; each role's own error:\n${summary}`, null));
  }

  /** Tells every role still waiting that the file ends before set-up finished (teardown). */
  abort(error: SerializedError): void {
    this.tellAll(() => error);
  }

  private tellAll(errorOf: (role: string) => SerializedError | null): void {
    if (this.told) return;
    this.told = true;
    for (const role of this.host.roles.slice(1)) this.host.tell(role, errorOf(role));
  }

  /**
   * Runs `work` for every role and waits until each settled, the deadline passed, or
   * `settleAfterFailureMs` after the first failure; says which failed and which are still pending.
   */
  private settle(roles: readonly string[], work: (role: string) => Promise<void>, timeoutMs: number): Promise<Settled> {
    const failures = new Map<string, Error>();
    const pending = new Set(roles);
    return new Promise((resolve) => {
      let timer: Cancellable | null = null;
      let finished = false;
      const finish = (): void => {
        if (finished) return;
        finished = true;
        timer?.cancel();
        resolve({ failures, pending: new Set(pending) });
      };
      const settled = (role: string, error: Error | null): void => {
        if (finished) return;
        pending.delete(role);
        if (error !== null) failures.set(role, error);
        if (pending.size === 0) return finish();
        if (error !== null && failures.size === 1) {
          timer?.cancel();
          timer = this.clock.schedule(Math.min(this.settings.settleAfterFailureMs, timeoutMs), finish);
        }
      };
      timer = this.clock.schedule(timeoutMs, finish);
      if (roles.length === 0) finish();
      for (const role of roles) {
        work(role).then(
          () => settled(role, null),
          (error: unknown) => settled(role, asError(error)),
        );
      }
    });
  }
}

function list(roles: readonly string[]): string {
  return `${roles.length === 1 ? 'role' : 'roles'} ${roles.map((r) => `'${r}'`).join(', ')}`;
}
