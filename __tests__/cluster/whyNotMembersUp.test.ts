import { buildClusterState, whyNotMembersUp } from '../../src/cluster/ClusterState';
import { gossip, ua } from './helpers/builders';

const view = (members: readonly string[], phase: 'contacting-seeds' | 'member' | 'stopped' = 'member') => buildClusterState(gossip(members), ua('a#0'), phase);

describe('whyNotMembersUp', () => {
  it('is null while enough members are Up or joining, unreachable ones included', () => {
    expect(whyNotMembersUp(view(['a#0 up 1', 'b#0 up 2', 'c#0 joining']), 3)).toBeNull();
    expect(whyNotMembersUp(buildClusterState(gossip(['a#0 up 1', 'b#0 up 2', 'c#0 up 3'], { 'a#0': [1, ['c#0']] }), ua('a#0'), 'member'), 3)).toBeNull();
  });

  it('is null while the node is still contacting seed nodes', () => {
    expect(whyNotMembersUp(view([], 'contacting-seeds'), 3)).toBeNull();
  });

  it('names the members that were downed or are leaving when too few can still be Up', () => {
    expect(whyNotMembersUp(view(['a#0 up 1', 'b#0 leaving 2', 'c#0 down 3']), 3)).toBe("only 1 members can still be Up in a#0's view: b#0 is leaving, c#0 is down");
  });

  it('says when the missing members were removed', () => {
    expect(whyNotMembersUp(view(['a#0 up 1', 'b#0 up 2']), 3)).toBe("only 2 members can still be Up in a#0's view (the others were removed)");
  });

  it('says when the node itself is no longer a member', () => {
    expect(whyNotMembersUp(view(['a#0 down 1', 'b#0 up 2'], 'stopped'), 2)).toBe('a#0 is no longer a cluster member (it was downed, left or was stopped)');
  });
});
