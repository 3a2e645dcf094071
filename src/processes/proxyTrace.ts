import type { LogLevel } from '../node';
import type { ProxyEvent } from './proxyEvents';

/** A proxy event as a line of the dialer's log. */
export interface ProxyLogLine {
  readonly level: LogLevel;
  readonly message: string;
  readonly fields: Record<string, unknown>;
}

/**
 * What the trace keeps of a fault proxy's events: connections refused or reset, and chunks the
 * faults held back or discarded. Connections opened and closed, and forwarded chunks, are left out:
 * they are the normal case, as many as the service makes, and cut differently from run to run.
 */
export function proxyEventLine(event: ProxyEvent): ProxyLogLine | null {
  const link = `${event.dialer} → ${event.target}`;
  const fields = { proxy: link, connection: event.connection };
  switch (event.type) {
    case 'opened':
    case 'closed':
      // Services open and close connections all the time; what a fault did to them is what counts.
      return null;
    case 'refused':
      return { level: 'warn', message: `connection ${link} refused (${event.reason}${event.detail === undefined ? '' : `: ${event.detail}`})`, fields: { ...fields, reason: event.reason } };
    case 'reset':
      return { level: 'warn', message: `connection ${link} #${event.connection} reset (${event.reason}${event.detail === undefined ? '' : `: ${event.detail}`})`, fields: { ...fields, reason: event.reason } };
    case 'chunk':
      if (event.fate === 'forwarded') return null;
      return {
        level: event.fate === 'discarded' ? 'warn' : 'debug',
        message: `${event.bytes} bytes ${event.from} → ${event.to} ${event.fate === 'discarded' ? 'discarded (blackhole)' : `delayed ${event.delayMs} ms`}`,
        fields: { ...fields, bytes: event.bytes, fate: event.fate },
      };
    default:
      return null;
  }
}
