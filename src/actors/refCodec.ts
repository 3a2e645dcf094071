import { types } from 'node:util';
import { ActorRef } from './ActorRef';
import type { SerializedActorRef } from './ActorRef';

/**
 * Converts refs inside messages to and from `{ $ref: { node, path } }`, so that refs survive
 * structured clone between nodes and come out bound to the receiving system.
 *
 * Type tests use `node:util` types, not `instanceof`: a clone made by `structuredClone` or a
 * MessagePort belongs to another realm than the code under Jest's vm sandbox.
 */

function isOpaque(value: object): boolean {
  return (
    types.isDate(value) ||
    types.isRegExp(value) ||
    types.isNativeError(value) ||
    types.isAnyArrayBuffer(value) ||
    ArrayBuffer.isView(value) ||
    types.isPromise(value) ||
    types.isWeakMap(value) ||
    types.isWeakSet(value)
  );
}

/** Whether `value` is exactly a serialized ref (one own key `$ref` holding string `node` and `path`). */
export function isSerializedRef(value: unknown): value is SerializedActorRef {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  if (keys.length !== 1 || keys[0] !== '$ref') return false;
  const inner = (value as { $ref: unknown }).$ref;
  return (
    typeof inner === 'object' &&
    inner !== null &&
    typeof (inner as { node?: unknown }).node === 'string' &&
    typeof (inner as { path?: unknown }).path === 'string'
  );
}

/**
 * Returns `value` with every `ActorRef` replaced by its serialized form. Copy-on-write: objects
 * without refs are returned as they are (structured clone copies them later), objects with refs
 * are shallow-copied as plain objects, which is what structured clone would make of them anyway.
 * A cycle that runs through a ref-holding object keeps pointing at the original object.
 */
export function serializeRefs(value: unknown, seen: Map<object, unknown> = new Map()): unknown {
  if (value instanceof ActorRef) return value.toJSON();
  if (typeof value !== 'object' || value === null || isOpaque(value)) return value;
  if (seen.has(value)) return seen.get(value);
  seen.set(value, value);
  let result: unknown = value;
  if (Array.isArray(value)) {
    const items = value.map((item) => serializeRefs(item, seen));
    if (items.some((item, i) => item !== value[i])) result = items;
  } else if (types.isMap(value)) {
    const original = [...value];
    const entries = original.map(([k, v]) => [serializeRefs(k, seen), serializeRefs(v, seen)] as [unknown, unknown]);
    if (entries.some(([k, v], i) => k !== original[i]?.[0] || v !== original[i]?.[1])) result = new Map(entries);
  } else if (types.isSet(value)) {
    const original = [...value];
    const items = original.map((item) => serializeRefs(item, seen));
    if (items.some((item, i) => item !== original[i])) result = new Set(items);
  } else {
    const source = value as Record<string, unknown>;
    let copy: Record<string, unknown> | undefined;
    for (const key of Object.keys(source)) {
      const field = serializeRefs(source[key], seen);
      if (field !== source[key]) {
        copy ??= { ...source };
        copy[key] = field;
      }
    }
    if (copy !== undefined) result = copy;
  }
  seen.set(value, result);
  return result;
}

/**
 * Replaces every serialized ref inside a freshly received message with a live ref from `revive`.
 * Mutates `value` in place (it is the receiver's own clone) and returns it, or the ref when the
 * whole message is one.
 */
export function reviveRefs(value: unknown, revive: (node: string, path: string) => ActorRef, seen: Set<object> = new Set()): unknown {
  if (isSerializedRef(value)) return revive(value.$ref.node, value.$ref.path);
  if (typeof value !== 'object' || value === null || isOpaque(value) || seen.has(value)) return value;
  seen.add(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = reviveRefs(value[i], revive, seen);
  } else if (types.isMap(value)) {
    const entries = [...value].map(([k, v]) => [reviveRefs(k, revive, seen), reviveRefs(v, revive, seen)] as const);
    value.clear();
    for (const [k, v] of entries) value.set(k, v);
  } else if (types.isSet(value)) {
    const items = [...value].map((item) => reviveRefs(item, revive, seen));
    value.clear();
    for (const item of items) value.add(item);
  } else {
    const target = value as Record<string, unknown>;
    for (const key of Object.keys(target)) target[key] = reviveRefs(target[key], revive, seen);
  }
  return value;
}
