/** The HTML timeline of one test: its data from the trace, the self-contained page, and its file path. */
export { buildTimelinePage } from './buildTimelinePage';
export type { TimelinePageOptions } from './buildTimelinePage';
export { renderTimelinePage, jsonForScript } from './renderPage';
export { htmlFilePath, htmlFolderPath, safeTestName } from './htmlFilePath';
export { causalTimes } from './causalTimes';
export type { CausalTimes } from './causalTimes';
export { faultWindows } from './faultWindows';
export type { FaultWindow } from './faultWindows';
export { bundleMessages, DEFAULT_ARROW_THRESHOLD } from './bundleMessages';
export type {
  MessageSummary,
  PageBarrier,
  PageFailure,
  PageFault,
  PageLog,
  PageMessage,
  PagePhase,
  PageRole,
  TimelinePage,
} from './pageModel';
