import { MultinodeError } from '../util';

/** Base class of the cluster membership layer's errors; `code` tells them apart. */
export class ClusterError extends MultinodeError {}

/** A cluster setting is unknown or out of range. Thrown by `resolveClusterSettings` and `Cluster.start`. */
export class InvalidClusterSettingError extends ClusterError {
  /** The setting's name, e.g. `gossipIntervalMs`. */
  readonly setting: string;

  constructor(setting: string, message: string) {
    super('INVALID_CLUSTER_SETTING', message);
    this.setting = setting;
  }
}

/** The node was not welcomed and Up within `joinTimeoutMs`. The message carries the node's view. */
export class JoinTimeoutError extends ClusterError {
  constructor(message: string) {
    super('CLUSTER_JOIN_TIMEOUT', message);
  }
}

/** A seed node refused the join, for example because this incarnation was already downed or superseded. */
export class JoinRejectedError extends ClusterError {
  constructor(message: string) {
    super('CLUSTER_JOIN_REJECTED', message);
  }
}

/** `leave()` did not see this member removed within `leaveTimeoutMs`, or it was downed while leaving. */
export class LeaveFailedError extends ClusterError {
  constructor(code: 'CLUSTER_LEAVE_TIMEOUT' | 'CLUSTER_DOWNED_WHILE_LEAVING', message: string) {
    super(code, message);
  }
}

/** An operation needs a running cluster membership but it was stopped (aborted, downed or removed). */
export class ClusterStoppedError extends ClusterError {
  constructor(message: string) {
    super('CLUSTER_STOPPED', message);
  }
}

/** `down(address)` named an address that is not a member in this node's view. */
export class UnknownMemberError extends ClusterError {
  constructor(message: string) {
    super('UNKNOWN_MEMBER', message);
  }
}

/** `Cluster.start` was given an option that is missing or malformed (transport, seed nodes, incarnation). */
export class InvalidClusterOptionError extends ClusterError {
  constructor(message: string) {
    super('INVALID_CLUSTER_OPTION', message);
  }
}
