export type { Transport, ClosableTransport, MessageHandler } from './Transport';
export { channel } from './channel';
export { UncloneableMessageError, cloneForSend, toUncloneableError, findUncloneable } from './cloneCheck';
export { UnknownAddressError, AddressInUseError, InvalidTransportConfigError, InvalidLinkFaultError } from './errors';
export { InMemoryNetwork, InMemoryTransport } from './InMemoryTransport';
export type { InMemoryNetworkOptions, TaskDispatcher } from './InMemoryTransport';
export { MessageChannelTransport } from './MessageChannelTransport';
export type { MessageChannelTransportOptions, MeshTransportOptions, SpokeTransportOptions } from './MessageChannelTransport';
export { createMeshChannels, createStarChannels, portsOf } from './meshChannels';
