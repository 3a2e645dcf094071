import { describe, expect, it } from '@jest/globals';
import { modePinnedByDocblock } from '../../environment/docblockMode';

describe('modePinnedByDocblock', () => {
  it('is true only when the docblock options set multinode.mode', () => {
    expect(modePinnedByDocblock({ 'jest-environment-options': '{"multinode": {"roles": ["a"], "mode": "threads"}}' })).toBe(true);
    expect(modePinnedByDocblock({ 'jest-environment-options': ['{"x": 1}', '{"multinode": {"mode": "simulation"}}'] })).toBe(true);
    expect(modePinnedByDocblock({ 'jest-environment-options': '{"multinode": {"roles": ["a"]}}' })).toBe(false);
    expect(modePinnedByDocblock({ 'jest-environment': 'multinode' })).toBe(false);
    expect(modePinnedByDocblock({ 'jest-environment-options': 'not json' })).toBe(false);
    expect(modePinnedByDocblock(undefined)).toBe(false);
  });
});
