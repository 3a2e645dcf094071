import type { FaultCommand, TraceEvent } from '../../src/harness';
import { describeFault } from '../timeline';
import type { PageFault } from './pageModel';

/** A fault window in trace times (epoch milliseconds); `end` is null while the fault is in force. */
export interface FaultWindow {
  readonly kind: PageFault['kind'];
  readonly label: string;
  readonly roles: readonly string[];
  readonly start: number;
  end: number | null;
}

interface LinkWindow extends FaultWindow {
  /** The directed links `from>to` the fault still holds; the window ends when none is left. */
  readonly links: Set<string>;
}

type FaultEvent = Extract<TraceEvent, { type: 'fault' }>;

/**
 * The windows in which faults were in force, from a file's fault events (faults persist from test to
 * test, so the whole file is read). A partition or blackhole holds its links until a heal clears
 * them all; a delay or drop holds its link until a heal, or until another delay or drop of that link
 * replaces it (a delay of 0 ms or a drop probability of 0 only clears); a crash or leave lasts until
 * the role's restart. `roles` are the lanes to shade: both sides of a cut, the two ends of a link,
 * the crashed role.
 */
export function faultWindows(events: readonly TraceEvent[], allRoles: readonly string[]): FaultWindow[] {
  const faults = events.filter((event): event is FaultEvent => event.type === 'fault').sort((x, y) => x.time - y.time);
  const windows: FaultWindow[] = [];
  const open: LinkWindow[] = [];
  const nodeDown = new Map<string, FaultWindow>();

  const close = (window: FaultWindow, time: number): void => {
    if (window.end === null) window.end = time;
  };
  const openLink = (fault: FaultCommand, kind: LinkWindow['kind'], roles: readonly string[], links: string[], time: number): void => {
    const window: LinkWindow = { kind, label: describeFault(fault), roles, start: time, end: null, links: new Set(links) };
    windows.push(window);
    open.push(window);
  };
  const release = (links: readonly string[], time: number, only?: LinkWindow['kind'][]): void => {
    for (const window of open) {
      if (window.end !== null || (only !== undefined && !only.includes(window.kind))) continue;
      for (const link of links) window.links.delete(link);
      if (window.links.size === 0) close(window, time);
    }
  };

  for (const { fault, time } of faults) {
    switch (fault.kind) {
      case 'partition':
        openLink(fault, 'partition', unique([...fault.sideA, ...fault.sideB]), pairs(fault.sideA, fault.sideB), time);
        break;
      case 'blackhole':
        openLink(fault, 'blackhole', unique([fault.from, fault.to]), [link(fault.from, fault.to)], time);
        break;
      case 'heal':
        release(pairs(fault.sideA ?? allRoles, fault.sideB ?? allRoles), time);
        break;
      case 'delay':
      case 'drop': {
        const links = [link(fault.from, fault.to)];
        release(links, time, [fault.kind]);
        const clears = fault.kind === 'delay' ? fault.maxMs === 0 : fault.probability === 0;
        if (!clears) openLink(fault, fault.kind, unique([fault.from, fault.to]), links, time);
        break;
      }
      case 'crash':
      case 'leave':
        if (!nodeDown.has(fault.role)) {
          const window: FaultWindow = { kind: fault.kind, label: describeFault(fault), roles: [fault.role], start: time, end: null };
          windows.push(window);
          nodeDown.set(fault.role, window);
        }
        break;
      case 'restart': {
        const window = nodeDown.get(fault.role);
        if (window !== undefined) close(window, time);
        nodeDown.delete(fault.role);
        break;
      }
    }
  }
  return windows;
}

/** Both directions of every link between a role of `sideA` and a different role of `sideB`. */
function pairs(sideA: readonly string[], sideB: readonly string[]): string[] {
  return sideA.flatMap((a) => sideB.filter((b) => b !== a).flatMap((b) => [link(a, b), link(b, a)]));
}

function link(from: string, to: string): string {
  return `${from}>${to}`;
}

function unique(roles: readonly string[]): string[] {
  return [...new Set(roles)];
}
