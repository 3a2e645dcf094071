import * as fs from 'node:fs';
import type { FileTrace } from '../src/harness';
import { TraceReadError } from './errors';

/** The trace format version this reporter reads. */
export const SUPPORTED_TRACE_VERSION = 2;

/**
 * Reads the trace file at `tracePath`. Returns null when there is none (the file had no multi-node
 * environment, or the environment wrote nothing). Throws `TraceReadError` when the file exists but
 * is not a trace this reporter can read. Checks the top-level shape only; events are trusted.
 */
export function readTrace(tracePath: string): FileTrace | null {
  let text: string;
  try {
    text = fs.readFileSync(tracePath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new TraceReadError(tracePath, `The trace file ${tracePath} could not be read: ${(error as Error).message}.`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new TraceReadError(
      tracePath,
      `The trace file ${tracePath} is not valid JSON (${(error as Error).message}); was the run interrupted while it was written?`,
    );
  }
  return checkTrace(data, tracePath);
}

/** Checks that `data` looks like a `FileTrace` of the supported version. */
export function checkTrace(data: unknown, tracePath: string): FileTrace {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new TraceReadError(tracePath, `The trace file ${tracePath} does not hold a JSON object.`);
  }
  const trace = data as Record<string, unknown>;
  if (trace.version !== SUPPORTED_TRACE_VERSION) {
    throw new TraceReadError(
      tracePath,
      `The trace file ${tracePath} has format version ${JSON.stringify(trace.version)}, but this reporter reads version ${SUPPORTED_TRACE_VERSION}; install the environment and the reporter from the same version of jest-environment-multinode.`,
    );
  }
  const expected: Record<string, 'string' | 'number' | 'boolean' | 'array'> = {
    testPath: 'string',
    roles: 'array',
    seed: 'number',
    mode: 'string',
    modeFromEnv: 'boolean',
    startedAt: 'number',
    finishedAt: 'number',
    tests: 'array',
    events: 'array',
    roleErrors: 'array',
    messagesOmitted: 'number',
  };
  const wrong = Object.entries(expected)
    .filter(([key, kind]) => (kind === 'array' ? !Array.isArray(trace[key]) : typeof trace[key] !== kind))
    .map(([key, kind]) => `'${key}' (expected ${kind === 'array' ? 'an array' : `a ${kind}`})`);
  if (wrong.length > 0) {
    throw new TraceReadError(tracePath, `The trace file ${tracePath} lacks or has a wrong type for ${wrong.join(', ')}.`);
  }
  return data as FileTrace;
}
