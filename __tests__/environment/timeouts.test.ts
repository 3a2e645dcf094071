import { describe, expect, it } from '@jest/globals';
import type { Config } from '@jest/types';
import { explicitJestTimeoutMs, multinodeTimeoutMs } from '../../environment/timeouts';

const config = (testTimeout?: number): Config.GlobalConfig => ({ testTimeout }) as unknown as Config.GlobalConfig;

describe('multinodeTimeoutMs', () => {
  it.each([
    ['the test own timeout first', { ownMs: 1, blockMs: 2, jestMs: 3, optionMs: 4 }, 1],
    ["then describe.multinode's timeoutMs", { ownMs: undefined, blockMs: 2, jestMs: 3, optionMs: 4 }, 2],
    ["then the user's explicit Jest timeout", { ownMs: undefined, blockMs: undefined, jestMs: 3, optionMs: 4 }, 3],
    ['then the testTimeoutMs option', { ownMs: undefined, blockMs: undefined, jestMs: null, optionMs: 4 }, 4],
    ['and a zero timeout argument counts as none, as in circus', { ownMs: 0, blockMs: undefined, jestMs: null, optionMs: 4 }, 4],
  ])('takes %s', (_what, sources, expected) => {
    expect(multinodeTimeoutMs(sources)).toBe(expected);
  });
});

describe('explicitJestTimeoutMs', () => {
  it('takes jest.setTimeout over --testTimeout and config testTimeout, as circus does', () => {
    expect(explicitJestTimeoutMs({ [Symbol.for('TEST_TIMEOUT_SYMBOL')]: 1_000 }, config(2_000))).toBe(1_000);
    expect(explicitJestTimeoutMs({}, config(2_000))).toBe(2_000);
  });

  it("is null when the user chose none: Jest's built-in 5000 ms leaves testTimeout unset", () => {
    expect(explicitJestTimeoutMs({}, config())).toBeNull();
  });
});
