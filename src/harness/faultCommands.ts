import { describeValue } from '../util';
import { InvalidFaultError, UnknownRoleError } from './errors';
import type { FaultCommand } from './traceTypes';

/** A role or a list of roles, as the `fault` API accepts them. */
export type RoleSet = string | readonly string[];

function side(value: unknown, roles: readonly string[], where: string): string[] {
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? (value as unknown[]) : null;
  if (list === null || list.length === 0 || !list.every((r): r is string => typeof r === 'string')) {
    throw new InvalidFaultError(`${where} needs a role name or a non-empty array of role names; it was given ${describeValue(value)}.`);
  }
  const unknown = list.filter((r) => !roles.includes(r));
  if (unknown.length > 0) throw new UnknownRoleError(unknown, roles, where);
  return [...new Set(list)];
}

function role(value: unknown, roles: readonly string[], where: string): string {
  if (typeof value !== 'string') throw new InvalidFaultError(`${where} needs a role name; it was given ${describeValue(value)}.`);
  if (!roles.includes(value)) throw new UnknownRoleError([value], roles, where);
  return value;
}

function delayRange(value: unknown): { minMs: number; maxMs: number } {
  const bad = (): never => {
    throw new InvalidFaultError(
      `fault.delay needs a delay in ms as a number >= 0 or { minMs, maxMs } with 0 <= minMs <= maxMs; it was given ${describeValue(value)}.`,
    );
  };
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) bad();
    return { minMs: value, maxMs: value };
  }
  if (typeof value === 'object' && value !== null) {
    const { minMs, maxMs } = value as { minMs?: unknown; maxMs?: unknown };
    if (typeof minMs !== 'number' || typeof maxMs !== 'number' || !Number.isFinite(minMs) || !Number.isFinite(maxMs) || minMs < 0 || maxMs < minMs) bad();
    return { minMs: minMs as number, maxMs: maxMs as number };
  }
  return bad();
}

/**
 * Validates the arguments of a `fault.*` call and turns them into a command. Throws
 * `UnknownRoleError` or `InvalidFaultError` naming the value and what is allowed.
 */
export function faultCommand(kind: FaultCommand['kind'], args: readonly unknown[], roles: readonly string[]): FaultCommand {
  const where = `fault.${kind}`;
  switch (kind) {
    case 'partition': {
      const sideA = side(args[0], roles, `${where} (first side)`);
      const sideB = side(args[1], roles, `${where} (second side)`);
      const overlap = sideA.filter((r) => sideB.includes(r));
      if (overlap.length > 0) throw new InvalidFaultError(`fault.partition was given role ${overlap.map((r) => `'${r}'`).join(', ')} on both sides; a role can only be on one side.`);
      return { kind, sideA, sideB };
    }
    case 'heal': {
      if (args[0] === undefined && args[1] === undefined) return { kind };
      const sideA = side(args[0], roles, `${where} (first side)`);
      return args[1] === undefined ? { kind, sideA } : { kind, sideA, sideB: side(args[1], roles, `${where} (second side)`) };
    }
    case 'blackhole':
      return { kind, from: role(args[0], roles, `${where} (from)`), to: role(args[1], roles, `${where} (to)`) };
    case 'delay': {
      const range = delayRange(args[2]);
      return { kind, from: role(args[0], roles, `${where} (from)`), to: role(args[1], roles, `${where} (to)`), ...range };
    }
    case 'drop': {
      const probability = args[2];
      if (typeof probability !== 'number' || !(probability >= 0 && probability <= 1)) {
        throw new InvalidFaultError(`fault.drop needs a probability between 0 and 1 (inclusive); it was given ${describeValue(probability)}.`);
      }
      return { kind, from: role(args[0], roles, `${where} (from)`), to: role(args[1], roles, `${where} (to)`), probability };
    }
    case 'crash':
    case 'restart':
    case 'leave':
      return { kind, role: role(args[0], roles, where) };
  }
}

/** `fault.isolate(role)`: a partition between `role` and every other role. */
export function isolateCommand(target: unknown, roles: readonly string[]): FaultCommand {
  const r = role(target, roles, 'fault.isolate');
  const others = roles.filter((x) => x !== r);
  if (others.length === 0) throw new InvalidFaultError(`fault.isolate('${r}') needs at least one other role; this file has only '${r}'.`);
  return { kind: 'partition', sideA: [r], sideB: others };
}
