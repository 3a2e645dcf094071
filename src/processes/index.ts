/**
 * Processes mode: every role's node in its own OS process (see API.md, "Processes mode").
 */
// Fault proxies: one TCP proxy per ordered pair of roles, applying the fault table to real sockets.
export { FaultProxy, type FaultProxyOptions } from './FaultProxy';
export { ProxyMesh, type ProxyMeshOptions } from './ProxyMesh';
export { faultTableReader, type FaultReader } from './faultReader';
export type { ProxyEvent, ProxyEventListener, ProxyRefuseReason, ProxyResetReason, ChunkFate } from './proxyEvents';
export { PROXY_SETTINGS, resolveProxySettings, type ProxySettings } from './proxySettings';
export { assertLoopbackHost, formatEndpoint, isLoopbackHost, listenLoopback, type Endpoint } from './loopbackListen';
export { ProxyAddressInUseError, ProxyHostError, ProxyListenError, ProxyNotInMeshError, ProxySettingsError, ProxyTargetError } from './proxyErrors';
