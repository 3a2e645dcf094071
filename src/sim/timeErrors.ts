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
