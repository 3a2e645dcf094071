/**
 * The replicated membership state and its merge. The state is a state-based CRDT, so any two views
 * can be merged in any order, any number of times, and all members end up with the same view:
 *
 * - `GossipContent.members` is a map from unique address to an entry whose status only moves up
 *   the monotone order of `statusRank` and whose up-number, once assigned, only goes down. Merge =
 *   highest status and lowest assigned up-number per member. Removed members stay as tombstones, so
 *   a stale view can never resurrect them (a restart is a new incarnation, hence a new entry).
 * - `GossipContent.reachability` holds one record per observer with the subjects its own failure
 *   detector currently finds unreachable, versioned by a counter only that observer increments.
 *   Merge = the record with the higher version (equal versions: union, which only happens in tests
 *   that break the single-writer rule, and keeps the merge a lattice anyway).
 * - `Gossip.seen` lists the members that have seen exactly this content. The pair (content, seen)
 *   is merged lexicographically: if one content is newer (the merge equals it), keep its seen set;
 *   if both contents are equal, union the seen sets; if they are concurrent, the merged content is
 *   new and nobody has seen it yet (empty set; the merging node then marks itself with `markSeen`).
 *   A lexicographic product of two join-semilattices is again one, so the merge stays commutative,
 *   associative and idempotent. Leader convergence reads the seen set.
 *
 * Every array is kept sorted (members and subjects by `compareAddresses`, records by observer, seen
 * keys by string order) so that equal states are structurally equal and digests are canonical.
 */
import { hashString } from '../util';
import { compareAddresses, maxStatus, memberKey, sameMember, type MemberStatus, type UniqueAddress } from './Member';

/** One member's replicated entry. `upNumber` 0 means "not assigned yet" (up-numbers start at 1). */
export interface MemberEntry extends UniqueAddress {
  readonly status: MemberStatus;
  readonly upNumber: number;
}

/** What one observer's failure detector currently finds unreachable. Only the observer writes it. */
export interface ReachabilityRecord {
  readonly observer: UniqueAddress;
  /** Incremented by the observer on every change of `unreachable`. */
  readonly version: number;
  readonly unreachable: readonly UniqueAddress[];
}

/** The merged part of the gossip: members and reachability observations. */
export interface GossipContent {
  readonly members: readonly MemberEntry[];
  readonly reachability: readonly ReachabilityRecord[];
}

/** A node's whole replicated view: content plus who is known to have seen exactly that content. */
export interface Gossip {
  readonly content: GossipContent;
  /** Member keys (`memberKey`) of the members known to have seen `content`. */
  readonly seen: readonly string[];
}

/** The content of a node that has not joined anything yet. */
export const EMPTY_CONTENT: GossipContent = Object.freeze({ members: Object.freeze([]), reachability: Object.freeze([]) });

/** A gossip with no members and no observations. */
export const EMPTY_GOSSIP: Gossip = Object.freeze({ content: EMPTY_CONTENT, seen: Object.freeze([]) });

/** Merges two entries of the same member: the later status and the lower assigned up-number. */
export function mergeMemberEntry(a: MemberEntry, b: MemberEntry): MemberEntry {
  const upNumber = a.upNumber === 0 ? b.upNumber : b.upNumber === 0 ? a.upNumber : Math.min(a.upNumber, b.upNumber);
  const status = maxStatus(a.status, b.status);
  if (status === a.status && upNumber === a.upNumber) return a;
  if (status === b.status && upNumber === b.upNumber) return b;
  return { address: a.address, incarnation: a.incarnation, status, upNumber };
}

/** Merges two records of the same observer: the higher version wins. */
export function mergeReachabilityRecord(a: ReachabilityRecord, b: ReachabilityRecord): ReachabilityRecord {
  if (a.version !== b.version) return a.version > b.version ? a : b;
  const union = mergeSorted(a.unreachable, b.unreachable, compareAddresses, (x) => x);
  return union.length === a.unreachable.length ? a : union.length === b.unreachable.length ? b : { ...a, unreachable: union };
}

/** The least upper bound of two contents. */
export function mergeContent(a: GossipContent, b: GossipContent): GossipContent {
  return {
    members: mergeSorted(a.members, b.members, compareAddresses, mergeMemberEntry),
    reachability: mergeSorted(a.reachability, b.reachability, (x, y) => compareAddresses(x.observer, y.observer), mergeReachabilityRecord),
  };
}

/** The least upper bound of two gossips (see the module comment for the seen-set rule). */
export function mergeGossip(a: Gossip, b: Gossip): Gossip {
  const content = mergeContent(a.content, b.content);
  const aCurrent = contentEquals(content, a.content);
  const bCurrent = contentEquals(content, b.content);
  if (aCurrent && bCurrent) return { content: a.content, seen: mergeSorted(a.seen, b.seen, compareStrings, (x) => x) };
  if (aCurrent) return a;
  if (bCurrent) return b;
  return { content, seen: [] };
}

/** Records that `member` has seen the current content. */
export function markSeen(gossip: Gossip, member: UniqueAddress): Gossip {
  const key = memberKey(member);
  if (gossip.seen.includes(key)) return gossip;
  return { content: gossip.content, seen: [...gossip.seen, key].sort(compareStrings) };
}

/**
 * Replaces the content after a local change by `self`. A changed content resets the seen set to
 * `self` alone; an unchanged one keeps the gossip as it is.
 */
export function withContent(gossip: Gossip, content: GossipContent, self: UniqueAddress): Gossip {
  if (contentEquals(content, gossip.content)) return gossip;
  return { content, seen: [memberKey(self)] };
}

/**
 * Raises one member's entry (inserting it when absent). Because it goes through the merge, it can
 * never lower a status: asking for `up` on a member that is already `down` is a no-op.
 */
export function raiseMember(content: GossipContent, member: UniqueAddress, status: MemberStatus, upNumber = 0): GossipContent {
  const entry: MemberEntry = { address: member.address, incarnation: member.incarnation, status, upNumber };
  return mergeContent(content, { members: [entry], reachability: [] });
}

/**
 * Sets `observer`'s own record to `unreachable`, bumping its version when the set changes. Only the
 * observer itself may call this for its own record (the single-writer rule behind the version merge).
 */
export function setObservation(content: GossipContent, observer: UniqueAddress, unreachable: readonly UniqueAddress[]): GossipContent {
  const sorted = [...unreachable].sort(compareAddresses);
  const current = content.reachability.find((r) => sameMember(r.observer, observer));
  if (current && addressListsEqual(current.unreachable, sorted)) return content;
  if (!current && sorted.length === 0) return content;
  const record: ReachabilityRecord = {
    observer: { address: observer.address, incarnation: observer.incarnation },
    version: (current?.version ?? 0) + 1,
    unreachable: sorted,
  };
  return mergeContent(content, { members: [], reachability: [record] });
}

/** Looks up a member's entry. */
export function findMember(content: GossipContent, member: UniqueAddress): MemberEntry | undefined {
  return content.members.find((m) => sameMember(m, member));
}

/** Structural equality of two canonical (sorted) contents. */
export function contentEquals(a: GossipContent, b: GossipContent): boolean {
  if (a === b) return true;
  if (a.members.length !== b.members.length || a.reachability.length !== b.reachability.length) return false;
  for (let i = 0; i < a.members.length; i++) {
    const x = a.members[i];
    const y = b.members[i];
    if (!sameMember(x, y) || x.status !== y.status || x.upNumber !== y.upNumber) return false;
  }
  for (let i = 0; i < a.reachability.length; i++) {
    const x = a.reachability[i];
    const y = b.reachability[i];
    if (!sameMember(x.observer, y.observer) || x.version !== y.version || !addressListsEqual(x.unreachable, y.unreachable)) return false;
  }
  return true;
}

/** Structural equality of two gossips. */
export function gossipEquals(a: Gossip, b: Gossip): boolean {
  return contentEquals(a.content, b.content) && a.seen.length === b.seen.length && a.seen.every((key, i) => key === b.seen[i]);
}

/** A short fingerprint of the whole gossip, sent in `GossipStatus` to skip sending unchanged views. */
export function gossipDigest(gossip: Gossip): string {
  const parts: string[] = [];
  for (const m of gossip.content.members) parts.push(`${memberKey(m)}:${m.status}:${m.upNumber}`);
  parts.push('|');
  for (const r of gossip.content.reachability) parts.push(`${memberKey(r.observer)}:${r.version}:${r.unreachable.map(memberKey).join(',')}`);
  parts.push('|', ...gossip.seen);
  const text = parts.join(';');
  return `${hashString(text).toString(16)}-${hashString(`${text.length}${text}`).toString(16)}-${text.length}`;
}

/**
 * Brings a gossip received from the wire into canonical form (sorted, duplicates merged), so that a
 * peer's different ordering can never make equal views look different.
 */
export function normalizeGossip(gossip: Gossip): Gossip {
  const members = gossip.content.members.reduce<GossipContent>((acc, m) => raiseMember(acc, m, m.status, m.upNumber), EMPTY_CONTENT).members;
  const reachability = gossip.content.reachability.reduce<readonly ReachabilityRecord[]>(
    (acc, r) =>
      mergeSorted(acc, [{ observer: r.observer, version: r.version, unreachable: dedupeSorted([...r.unreachable].sort(compareAddresses)) }], (x, y) =>
        compareAddresses(x.observer, y.observer), mergeReachabilityRecord),
    [],
  );
  return { content: { members, reachability }, seen: [...new Set(gossip.seen)].sort(compareStrings) };
}

function addressListsEqual(a: readonly UniqueAddress[], b: readonly UniqueAddress[]): boolean {
  return a.length === b.length && a.every((x, i) => sameMember(x, b[i]));
}

function dedupeSorted(list: UniqueAddress[]): UniqueAddress[] {
  return list.filter((x, i) => i === 0 || !sameMember(x, list[i - 1])).map((x) => ({ address: x.address, incarnation: x.incarnation }));
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Merges two sorted, duplicate-free arrays; equal elements are combined with `combine`. */
function mergeSorted<T>(a: readonly T[], b: readonly T[], compare: (x: T, y: T) => number, combine: (x: T, y: T) => T): T[] {
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const order = compare(a[i], b[j]);
    if (order < 0) out.push(a[i++]);
    else if (order > 0) out.push(b[j++]);
    else out.push(combine(a[i++], b[j++]));
  }
  while (i < a.length) out.push(a[i++]);
  while (j < b.length) out.push(b[j++]);
  return out;
}
