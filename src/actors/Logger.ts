/** Log levels, the same as the harness's `ctx.log`. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * Where the runtime logs: the harness passes its `ctx.log`, which tags every line with role, test
 * and time. Keep `fields` plain data (strings, numbers): the harness clones them across threads.
 */
export type Logger = (level: LogLevel, message: string, fields?: Record<string, unknown>) => void;

/** A logger bound to a source, as actors see it in `ctx.log`. */
export interface ActorLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * The logger of a system created without `log`: warnings and errors go to the console, debug and
 * info are dropped. Pass a logger to see everything.
 */
export const defaultLogger: Logger = (level, message, fields) => {
  if (level === 'error') console.error(message, fields ?? '');
  else if (level === 'warn') console.warn(message, fields ?? '');
};

/** A logger that drops everything. */
export const silentLogger: Logger = () => undefined;

/**
 * Binds `log` to a source: each line is prefixed with `[source]` and carries `fields` (e.g.
 * `{ actor: '/user/a' }`) merged under the line's own fields. A logger that throws is ignored, so
 * logging can never break an actor.
 */
export function createActorLogger(log: Logger, source: string, fields: Record<string, unknown>): ActorLogger {
  const write = (level: LogLevel, message: string, extra?: Record<string, unknown>): void => {
    try {
      log(level, `[${source}] ${message}`, extra === undefined ? fields : { ...fields, ...extra });
    } catch {
      // A broken logger must not take the actor down.
    }
  };
  return {
    debug: (message, extra) => write('debug', message, extra),
    info: (message, extra) => write('info', message, extra),
    warn: (message, extra) => write('warn', message, extra),
    error: (message, extra) => write('error', message, extra),
  };
}
