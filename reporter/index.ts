/**
 * `jest-environment-multinode/reporter`: the Jest reporter (default export) and the pure pieces it is
 * built from, for tools that render the same trace differently.
 */
import MultinodeReporter from './MultinodeReporter';

export default MultinodeReporter;

export { buildFileReport } from './buildFileReport';
export type { BuildFileReportOptions, JestFileResult } from './buildFileReport';
export { renderFileReport } from './render';
export { causalOrder, testOrder } from './causalOrder';
export type { CausalEntry, CausalOrder, MessageEvent } from './causalOrder';
export { firstAnomaly, isAnomaly } from './firstAnomaly';
export { codeFrame, userFrame } from './codeFrame';
export type { SourcePosition, SourceReader } from './codeFrame';
export { createColors, shouldUseColors } from './ansi';
export type { Colors } from './ansi';
export { readTrace } from './readTrace';
export { rerunCommand, escapeRegExp, shellQuote } from './rerunCommand';
export type { RerunTarget } from './rerunCommand';
export { resolveReporterOptions, DEFAULT_OUTPUT_DIR } from './options';
export type { HtmlOption, LogsOption, ReporterOptions, ResolvedReporterOptions } from './options';
export { buildTimelinePage, renderTimelinePage, htmlFilePath } from './html';
export type { TimelinePage, TimelinePageOptions } from './html';
export { ReporterOptionError, TraceReadError } from './errors';
export type {
  CodeFrame,
  FileReport,
  FirstAnomaly,
  RoleErrorReport,
  RoleFailure,
  RoleOutcomeReport,
  TestReport,
  Timeline,
  TimelineKind,
  TimelineLine,
  Verdict,
} from './model';

// Jest unwraps `default` itself, but plain `require('jest-environment-multinode/reporter')` should
// give the class as well: the class becomes the module, carrying the named exports and `default`.
// No `__esModule` marker on purpose: subclasses inherit static properties, and with the marker a
// user's `module.exports = class extends MultinodeReporter {}` would be unwrapped by Jest to the
// inherited `default`, our base class, instead of the subclass.
module.exports = Object.assign(MultinodeReporter, exports, { default: MultinodeReporter });
