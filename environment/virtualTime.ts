import type { Config } from '@jest/types';
import { LegacyFakeTimers, ModernFakeTimers } from '@jest/fake-timers';
type ModuleMocker = ConstructorParameters<typeof LegacyFakeTimers>[0]['moduleMocker'];
import type { Rng } from '../src/util';
import { fakeTimersStartAt, installVirtualGlobals, type SimWorld } from '../src/sim';

/** The parts of a Jest node environment that virtual time replaces. */
export interface VirtualTimeTarget {
  readonly global: object;
  readonly moduleMocker: ModuleMocker | null;
  fakeTimers: LegacyFakeTimers<unknown> | null;
  fakeTimersModern: ModernFakeTimers | null;
}

/**
 * Puts one role's Jest environment on virtual time: its globals (timers, `Date`, `performance`,
 * `hrtime`, `Math.random`, `crypto`) become the role's, as events of `owner` in `world`, and Jest's
 * fake timers are built again on top of them, so that `jest.useFakeTimers()` starts at virtual now.
 * Call it in the environment's constructor, before Jest creates the runtime. Returns the uninstall.
 */
export function installVirtualTime(target: VirtualTimeTarget, world: SimWorld, owner: string, rng: Rng, projectConfig: Config.ProjectConfig): () => void {
  const uninstall = installVirtualGlobals(target.global, { scheduler: world.asScheduler(), owner, rng });
  target.fakeTimers?.dispose();
  target.fakeTimersModern?.dispose();
  if (target.moduleMocker !== null) {
    target.fakeTimers = new LegacyFakeTimers({
      config: projectConfig,
      global: target.global as typeof globalThis,
      moduleMocker: target.moduleMocker,
      timerConfig: { idToRef: (id: number) => ({ id, ref: () => undefined, unref: () => undefined }), refToId: (timer: { id?: number } | undefined) => timer?.id },
    });
  }
  target.fakeTimersModern = fakeTimersStartAt(new ModernFakeTimers({ config: projectConfig, global: target.global as typeof globalThis }), () => world.now(), projectConfig.fakeTimers as { now?: number });
  return uninstall;
}
