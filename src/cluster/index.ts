/**
 * Cluster membership for the embedded runtime: joining through seed nodes, gossip, failure
 * detection, keep-majority split-brain resolution, graceful leave and cluster events. It runs over
 * any `Transport` and does not depend on the actor runtime.
 */
export { Cluster } from './Cluster';
export type { ClusterStartOptions, ClusterLogger, ClusterEventHandler } from './Cluster';
export type { ClusterState, ClusterPhase } from './ClusterState';
export { whyNotMembersUp } from './ClusterState';
export type { ClusterEvent, ClusterEventType } from './events';
export type { Member, MemberStatus, UniqueAddress } from './Member';
export { formatMember, memberKey, sameMember, compareAddresses, compareAge, isUpOrLeaving } from './Member';
export { DEFAULT_CLUSTER_SETTINGS, resolveClusterSettings } from './settings';
export type { ClusterSettings, SplitBrainStrategy } from './settings';
export {
  ClusterError,
  ClusterStoppedError,
  InvalidClusterOptionError,
  InvalidClusterSettingError,
  JoinRejectedError,
  JoinTimeoutError,
  LeaveFailedError,
  UnknownMemberError,
} from './errors';
export type { ClusterMessage } from './protocol';
export { registerCluster, clusterOf, ClusterNotRegisteredError, CLUSTER_EXTENSION_NAME } from './clusterExtension';
export type { ExtensionHost } from './clusterExtension';
