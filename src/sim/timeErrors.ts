import { MultinodeError } from '../util';

/** `SimScheduler.step()` called from inside a running event: events never nest. */
export class ReentrantStepError extends MultinodeError {
  constructor(runningOwner: string) {
    super(
      'SIM_REENTRANT_STEP',
      `The simulation was asked to run an event while an event of '${runningOwner}' was still running; events run one at a time, so schedule the work instead of stepping from inside an event.`,
    );
  }
}

/** `installVirtualGlobals` called on a global that already has them. */
export class VirtualGlobalsInstalledError extends MultinodeError {
  constructor(owner: string, installedFor: string) {
    super(
      'SIM_GLOBALS_INSTALLED',
      `Virtual globals for '${owner}' cannot be installed on a global that already has those of '${installedFor}'; call the uninstall function returned by the first install before installing again.`,
    );
  }
}
