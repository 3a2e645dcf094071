import { MultinodeError } from '../util';

/**
 * A short name for the kind of a message, for errors and logs: the `type` field of a tagged object
 * (`"get"`), else the class name (`Terminated`), else `array`, `string`, `number`, ...
 */
export function describeMessageType(message: unknown): string {
  if (typeof message === 'object' && message !== null) {
    const tag = (message as { type?: unknown }).type;
    if (typeof tag === 'string') return `"${tag}"`;
    if (Array.isArray(message)) return 'array';
    const name = (Object.getPrototypeOf(message) as { constructor?: { name?: string } } | null)?.constructor?.name;
    return name !== undefined && name !== 'Object' ? name : 'object';
  }
  return message === null ? 'null' : typeof message;
}

/** A one-line description of anything thrown, for logs and error messages. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** `ask` got no reply in time. Names the target, the kind of message and the timeout. */
export class AskTimeoutError extends MultinodeError {
  /** The target, e.g. `actor://b/user/kv`. */
  readonly target: string;
  /** The kind of message that was asked, as `describeMessageType` gives it. */
  readonly messageType: string;
  /** The timeout that expired. */
  readonly timeoutMs: number;

  constructor(target: string, messageType: string, timeoutMs: number, undelivered?: string) {
    super(
      'ASK_TIMEOUT',
      `Ask to ${target} timed out after ${timeoutMs} ms waiting for a reply to a ${messageType} message. ` +
        (undelivered !== undefined
          ? `The message was never delivered: ${undelivered}.`
          : 'Check that the actor replies to the sender (ctx.reply) and that its node is reachable, or raise timeoutMs.'),
    );
    this.target = target;
    this.messageType = messageType;
    this.timeoutMs = timeoutMs;
  }
}

/** A sibling with that name exists (names are reserved until the old actor has fully stopped). */
export class ActorNameTakenError extends MultinodeError {
  constructor(parentPath: string, name: string) {
    super(
      'ACTOR_NAME_TAKEN',
      `Cannot spawn '${name}' under ${parentPath}: an actor with that name exists there. ` +
        'Pick another name, or wait for the old one to stop (watch it and wait for Terminated).',
    );
  }
}

/** An actor name that is empty, contains `/`, or starts with the reserved `$`. */
export class InvalidActorNameError extends MultinodeError {
  constructor(name: string, reason: string) {
    super('INVALID_ACTOR_NAME', `The actor name ${JSON.stringify(name)} is not allowed: ${reason}.`);
  }
}

/** An actor path that is not of the form `/segment/segment...`. */
export class InvalidActorPathError extends MultinodeError {
  constructor(path: string, reason: string) {
    super('INVALID_ACTOR_PATH', `The actor path ${JSON.stringify(path)} is not valid: ${reason}. Paths look like '/user/parent/child'.`);
  }
}

/** The system is terminating or terminated, so it cannot do `what`. */
export class SystemTerminatedError extends MultinodeError {
  constructor(address: string, what: string) {
    super('SYSTEM_TERMINATED', `The actor system at '${address}' has terminated, so it cannot ${what}.`);
  }
}

/** An actor cannot spawn children once it is stopping. */
export class ActorStoppedError extends MultinodeError {
  constructor(path: string, what: string) {
    super('ACTOR_STOPPED', `The actor ${path} is stopping or stopped, so it cannot ${what}.`);
  }
}

/** The actor's constructor, `preStart` or `postRestart` threw; the supervisor sees this error. */
export class ActorInitializationError extends MultinodeError {
  /** The actor whose start failed. */
  readonly path: string;

  constructor(path: string, cause: unknown) {
    super('ACTOR_INITIALIZATION', `The actor ${path} failed to start: ${describeError(cause)}.`);
    this.path = path;
    (this as { cause?: unknown }).cause = cause;
  }
}

/** `ctx.stop(ref)` on an actor that is neither the caller nor its child, or `system.stop` on a remote ref. */
export class NotAChildError extends MultinodeError {
  constructor(message: string) {
    super('NOT_A_CHILD', message);
  }
}

/** A system without a transport was asked for a ref on another node. */
export class NoRemotingError extends MultinodeError {
  constructor(address: string, node: string) {
    super(
      'NO_REMOTING',
      `The actor system at '${address}' has no transport, so it cannot reach node '${node}'. ` +
        'Pass a transport to ActorSystem.create to use remote refs.',
    );
  }
}

/** An extension key was registered twice. */
export class ExtensionAlreadyRegisteredError extends MultinodeError {
  constructor(key: string) {
    super('EXTENSION_ALREADY_REGISTERED', `An extension '${key}' is already registered on this actor system; register each key once.`);
  }
}

/** `system.extension(key)` for a key nobody registered. */
export class ExtensionNotFoundError extends MultinodeError {
  constructor(key: string, registered: readonly string[]) {
    super(
      'EXTENSION_NOT_FOUND',
      `No extension '${key}' is registered on this actor system (registered: ` +
        `${registered.length === 0 ? 'none' : registered.map((k) => `'${k}'`).join(', ')}). ` +
        'Register it with system.registerExtension first, or use findExtension to probe.',
    );
  }
}

/** A delay, timeout or limit outside its allowed range. */
export class InvalidArgumentError extends MultinodeError {
  constructor(message: string) {
    super('INVALID_ARGUMENT', message);
  }
}

/** Checks a duration argument; `positive` excludes 0. */
export function checkDuration(name: string, value: number, positive = false): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (positive && value === 0)) {
    throw new InvalidArgumentError(`${name} must be a finite number of ms ${positive ? '> 0' : '>= 0'}; it was given ${String(value)}.`);
  }
}
