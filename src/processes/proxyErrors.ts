import { MultinodeError } from '../util';

/** A fault proxy asked to listen on an address that is not loopback: nothing may listen beyond it. */
export class ProxyHostError extends MultinodeError {
  constructor(message: string) {
    super('PROXY_HOST_NOT_LOOPBACK', message);
  }
}

/** A fault proxy whose address was already taken by another socket. */
export class ProxyAddressInUseError extends MultinodeError {
  constructor(message: string) {
    super('PROXY_ADDRESS_IN_USE', message);
  }
}

/** A fault proxy that could not listen for another reason (e.g. an address this machine lacks). */
export class ProxyListenError extends MultinodeError {
  constructor(message: string) {
    super('PROXY_LISTEN_FAILED', message);
  }
}

/** Proxy settings outside what is allowed. */
export class ProxySettingsError extends MultinodeError {
  /** The setting at fault, or `'(all)'`. */
  readonly setting: string;

  constructor(setting: string, message: string) {
    super('INVALID_PROXY_SETTING', message);
    this.setting = setting;
  }
}

/** A fault proxy given a target endpoint that is not `{ host, port }`. */
export class ProxyTargetError extends MultinodeError {
  constructor(message: string) {
    super('INVALID_PROXY_TARGET', message);
  }
}

/** A proxy asked of a mesh that was not started with it (its dialer is served elsewhere). */
export class ProxyNotInMeshError extends MultinodeError {
  constructor(message: string) {
    super('PROXY_NOT_IN_MESH', message);
  }
}
