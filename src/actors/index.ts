/**
 * The embedded actor runtime: `jest-environment-multinode/actors`. One import for actor systems,
 * refs, supervision, remoting over any `Transport`, and the transports to run them on.
 */
export { ActorSystem } from './ActorSystem';
export type { ActorSystemOptions } from './ActorSystem';
export type { TerminationKind } from './ActorRuntime';
export { Actor } from './Actor';
export type { ActorContext } from './ActorContext';
export { ActorRef } from './ActorRef';
export type { SerializedActorRef, AskOptions } from './ActorRef';
export { Props } from './Props';
export type { MessageOf } from './Props';
export { ask } from './ask';
export { Terminated } from './Terminated';
export { oneForOneStrategy, defaultStrategy, stoppingStrategy, defaultDecider } from './SupervisorStrategy';
export type { SupervisorStrategy, Directive, Decider, FailureInfo, StrategyOptions } from './SupervisorStrategy';
export { EventStream } from './EventStream';
export type {
  ActorEvent,
  ActorEventMap,
  DeadLetter,
  UnhandledMessage,
  ActorStarted,
  ActorStopped,
  ActorFailed,
  ActorRestarted,
} from './EventStream';
export { Scheduler } from './Scheduler';
export type { TimerScheduler } from './TimerScheduler';
export { ExtensionKey } from './ExtensionKey';
export { defaultLogger, silentLogger, createActorLogger } from './Logger';
export type { Logger, LogLevel, ActorLogger } from './Logger';
export { isSerializedRef } from './refCodec';
export { USER_ROOT, SYSTEM_ROOT } from './ActorPath';
export { TestProbe, ProbeTimeoutError } from './TestProbe';
export type { TestProbeOptions } from './TestProbe';
export {
  AskTimeoutError,
  ActorNameTakenError,
  InvalidActorNameError,
  InvalidActorPathError,
  SystemTerminatedError,
  ActorStoppedError,
  ActorInitializationError,
  NotAChildError,
  NoRemotingError,
  ExtensionAlreadyRegisteredError,
  ExtensionNotFoundError,
  InvalidArgumentError,
  describeMessageType,
} from './errors';

// Transports, so that users need one import.
export {
  channel,
  InMemoryNetwork,
  InMemoryTransport,
  MessageChannelTransport,
  createMeshChannels,
  createStarChannels,
  portsOf,
  UncloneableMessageError,
  UnknownAddressError,
  AddressInUseError,
  InvalidTransportConfigError,
  InvalidLinkFaultError,
} from '../transport';
export type {
  Transport,
  ClosableTransport,
  MessageHandler,
  InMemoryNetworkOptions,
  TaskDispatcher,
  MessageChannelTransportOptions,
  MeshTransportOptions,
  SpokeTransportOptions,
} from '../transport';
export { systemClock, createRng, MultinodeError } from '../util';
export type { Clock, Cancellable, Rng } from '../util';
