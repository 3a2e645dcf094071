/**
 * Small read helpers over this role's view of the embedded cluster, so that assertions compare
 * plain strings such as `'c#1 up'` and a failure shows the whole view in Jest's diff.
 *
 * These suites run on the built environment (`dist/`), so they import the built public entry
 * (`jest-environment-multinode/actors` is `dist/src/index.js`): the same module copy the nodes run,
 * and nothing to compile after the nodes are up.
 */
import { Cluster, formatMember, type ClusterEvent, type ClusterState, type UniqueAddress } from '../../../dist/src';

/** This role's cluster (`multinode.system` is the role's current actor system). */
export function cluster(): Cluster {
  return Cluster.get(multinode.system);
}

/** This role's current view of the cluster. */
export function state(): ClusterState {
  return cluster().state();
}

/** Every member that is not removed, as `'<address>#<incarnation> <status>'`, in address order. */
export function memberSummary(view: ClusterState = state()): string[] {
  return view.members.map((m) => `${formatMember(m)} ${m.status}`);
}

/** The members some live member observes as unreachable, as `'<address>#<incarnation>'`. */
export function unreachableSummary(view: ClusterState = state()): string[] {
  return view.unreachable.map(formatMember);
}

/** The view every role should reach when `roles` are all Up at `incarnation` and reachable. */
export function allUp(roles: readonly string[], incarnation = 0): string[] {
  return [...roles].sort().map((r) => `${r}#${incarnation} up`);
}

/** A recorded cluster event in a compact form: `'MemberUp c#1'`, `'SelfDowned'`, `'LeaderChanged a#0'`. */
export function describeEvent(event: ClusterEvent): string {
  switch (event.type) {
    case 'LeaderChanged':
      return `LeaderChanged ${event.leader ? formatMember(event.leader) : 'none'}`;
    case 'SelfDowned':
    case 'SelfRemoved':
      return event.type;
    default:
      return `${event.type} ${formatMember(event.member)}`;
  }
}

/**
 * Records this role's cluster events from now on (a new subscriber only gets later events).
 * `stop()` unsubscribes; `about(member)` lists the compact events about one member.
 */
export function recordEvents(): { readonly events: ClusterEvent[]; about(member: UniqueAddress): string[]; stop(): void } {
  const events: ClusterEvent[] = [];
  const stop = cluster().onEvent((event) => {
    events.push(event);
  });
  return {
    events,
    about: (member) =>
      events
        .filter((e) => 'member' in e && e.member.address === member.address && e.member.incarnation === member.incarnation)
        .map(describeEvent),
    stop,
  };
}
