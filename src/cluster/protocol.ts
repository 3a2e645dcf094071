/**
 * The node-to-node wire protocol of the cluster membership layer, carried on the `'cluster'`
 * channel of a node's transport. Every message is a plain object tagged by `type`; every message
 * names its sender's incarnation so that a restarted node never answers for its predecessor.
 */
import type { Gossip, GossipContent, MemberEntry, ReachabilityRecord } from './Gossip';
import { MEMBER_STATUSES, type UniqueAddress } from './Member';

/** A node that is not a member yet asks a seed node (any member) to let it in. Re-sent until welcomed. */
export interface JoinMessage {
  readonly type: 'Join';
  readonly from: UniqueAddress;
}

/** Messages from a joining node to a member. */
export type JoinerToMember = JoinMessage;

/** A member accepted the joiner; `gossip` already lists it as joining. */
export interface WelcomeMessage {
  readonly type: 'Welcome';
  readonly from: UniqueAddress;
  readonly to: UniqueAddress;
  readonly gossip: Gossip;
}

/** A member refused the joiner for good (its incarnation is downed, removed or superseded). */
export interface JoinRejectedMessage {
  readonly type: 'JoinRejected';
  readonly from: UniqueAddress;
  readonly to: UniqueAddress;
  readonly reason: string;
}

/** Messages from a member to a joining node. */
export type MemberToJoiner = WelcomeMessage | JoinRejectedMessage;

/** A member's whole view. The receiver merges it and answers with its own view if that differs. */
export interface GossipMessage {
  readonly type: 'Gossip';
  readonly from: UniqueAddress;
  readonly gossip: Gossip;
}

/** A fingerprint of the sender's view, sent instead of the view once it has converged. */
export interface GossipStatusMessage {
  readonly type: 'GossipStatus';
  readonly from: UniqueAddress;
  readonly digest: string;
}

/** The failure detector's probe; the receiver answers with `HeartbeatRsp` if it is `to`. */
export interface HeartbeatMessage {
  readonly type: 'Heartbeat';
  readonly from: UniqueAddress;
  readonly to: UniqueAddress;
  readonly sequenceNr: number;
}

/** The answer to a `Heartbeat`; it proves the link works in both directions. */
export interface HeartbeatRspMessage {
  readonly type: 'HeartbeatRsp';
  readonly from: UniqueAddress;
  readonly to: UniqueAddress;
  readonly sequenceNr: number;
}

/** Messages between members. */
export type MemberToMember = GossipMessage | GossipStatusMessage | HeartbeatMessage | HeartbeatRspMessage;

/** Every cluster message. */
export type ClusterMessage = JoinerToMember | MemberToJoiner | MemberToMember;

/** The outcome of decoding a message from the wire. */
export type DecodeResult = { readonly ok: true; readonly message: ClusterMessage } | { readonly ok: false; readonly reason: string };

/**
 * Checks the shape of a message received from `transportFrom` and that its `from` address matches
 * the transport's sender. Peers run the same code, so a failure means a version mix-up or a bug;
 * the caller logs the reason and drops the message.
 */
export function decodeClusterMessage(transportFrom: string, value: unknown): DecodeResult {
  if (!isRecord(value) || typeof value.type !== 'string') return fail('it is not an object with a string "type"');
  if (!isUniqueAddress(value.from)) return fail(`its "from" is not a unique address (type ${value.type})`);
  if (value.from.address !== transportFrom) {
    return fail(`its "from" address '${value.from.address}' differs from the transport sender '${transportFrom}'`);
  }
  const type = value.type as ClusterMessage['type'];
  switch (type) {
    case 'Join':
      return ok(value);
    case 'Welcome':
      return isUniqueAddress(value.to) && isGossip(value.gossip) ? ok(value) : fail('a Welcome needs "to" and a well-formed "gossip"');
    case 'JoinRejected':
      return isUniqueAddress(value.to) && typeof value.reason === 'string' ? ok(value) : fail('a JoinRejected needs "to" and "reason"');
    case 'Gossip':
      return isGossip(value.gossip) ? ok(value) : fail('a Gossip needs a well-formed "gossip"');
    case 'GossipStatus':
      return typeof value.digest === 'string' ? ok(value) : fail('a GossipStatus needs a string "digest"');
    case 'Heartbeat':
    case 'HeartbeatRsp':
      return isUniqueAddress(value.to) && isNonNegativeInteger(value.sequenceNr) ? ok(value) : fail(`a ${type} needs "to" and "sequenceNr"`);
    default:
      return fail(`its type '${String(type)}' is not a cluster message type`);
  }
}

function ok(value: Record<string, unknown>): DecodeResult {
  return { ok: true, message: value as unknown as ClusterMessage };
}

function fail(reason: string): DecodeResult {
  return { ok: false, reason };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonNegativeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function isUniqueAddress(value: unknown): value is UniqueAddress {
  return isRecord(value) && typeof value.address === 'string' && isNonNegativeInteger(value.incarnation);
}

function isMemberEntry(value: unknown): value is MemberEntry {
  return isUniqueAddress(value) && MEMBER_STATUSES.includes((value as MemberEntry).status) && isNonNegativeInteger((value as MemberEntry).upNumber);
}

function isReachabilityRecord(value: unknown): value is ReachabilityRecord {
  return (
    isRecord(value) &&
    isUniqueAddress(value.observer) &&
    isNonNegativeInteger(value.version) &&
    Array.isArray(value.unreachable) &&
    value.unreachable.every(isUniqueAddress)
  );
}

function isGossip(value: unknown): value is Gossip {
  if (!isRecord(value) || !isRecord(value.content) || !Array.isArray(value.seen)) return false;
  const content = value.content as unknown as Record<keyof GossipContent, unknown>;
  return (
    Array.isArray(content.members) &&
    content.members.every(isMemberEntry) &&
    Array.isArray(content.reachability) &&
    content.reachability.every(isReachabilityRecord) &&
    value.seen.every((key) => typeof key === 'string')
  );
}
