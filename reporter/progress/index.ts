export { ProgressView, PROGRESS_VIEW_DEFAULTS, type ProgressViewSettings } from './ProgressView';
export { ProgressWatch, PROGRESS_POLL_MS } from './ProgressWatch';
