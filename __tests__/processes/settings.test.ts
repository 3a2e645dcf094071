import { PROCESS_NODE_DEFAULTS, resolveProcessNodeSettings } from '../../src/processes';

describe('resolveProcessNodeSettings', () => {
  it('merges overrides over the defaults', () => {
    expect(resolveProcessNodeSettings({ nodeTimeoutMs: 2_500, memoryMb: 512 })).toEqual({ ...PROCESS_NODE_DEFAULTS, nodeTimeoutMs: 2_500, memoryMb: 512 });
    expect(resolveProcessNodeSettings()).toEqual(PROCESS_NODE_DEFAULTS);
  });

  it('rejects a value outside what is allowed, naming the setting and the value', () => {
    expect(() => resolveProcessNodeSettings({ nodeTimeoutMs: -1 })).toThrow(/nodeTimeoutMs.*-1/);
    expect(() => resolveProcessNodeSettings({ crashGraceMs: 1.5 })).toThrow(/crashGraceMs.*1\.5/);
  });
});
