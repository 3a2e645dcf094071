import { describe, expect, it } from '@jest/globals';
import { CallSites } from '../../environment/callSite';

describe('CallSites', () => {
  const sites = new CallSites();
  function barrier(): { site?: string } {
    return sites.of(barrier);
  }

  it("gives the caller's source line and column, through Jest's source maps, the same on every call from one place", () => {
    const seen: Array<string | undefined> = [];
    for (let i = 0; i < 3; i++) seen.push(barrier().site);
    const other = barrier().site;
    expect(seen[0]).toMatch(/callSite\.test\.ts:12:43$/);
    expect(new Set(seen).size).toBe(1);
    expect(other).toMatch(/callSite\.test\.ts:13:19$/);
  });

  it('keeps one formatted site per place in the running code, not one per call', () => {
    const capture = Error.captureStackTrace;
    let captures = 0;
    Error.captureStackTrace = (target: object, omit?: Function) => {
      captures++;
      capture(target, omit);
    };
    try {
      const fresh = new CallSites();
      const call = (): { site?: string } => fresh.of(call);
      for (let i = 0; i < 5; i++) call();
    } finally {
      Error.captureStackTrace = capture;
    }
    // One cheap capture of the raw position per call, and the formatted one once.
    expect(captures).toBe(6);
  });
});
