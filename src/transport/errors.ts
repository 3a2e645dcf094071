import { MultinodeError } from '../util';

/** Thrown by `send` when `to` is not an address the transport knows: a programming error, not a network fault. */
export class UnknownAddressError extends MultinodeError {
  /** The address that was given. */
  readonly address: string;
  /** The addresses the transport does know, sorted. */
  readonly knownAddresses: readonly string[];

  constructor(address: string, knownAddresses: readonly string[]) {
    const known = [...knownAddresses].sort();
    super(
      'UNKNOWN_ADDRESS',
      `Cannot send to '${address}': it is not an address of this transport ` +
        `(known: ${known.length === 0 ? 'none' : known.map((a) => `'${a}'`).join(', ')}). ` +
        'Check the spelling, or create or declare that node before sending to it.',
    );
    this.address = address;
    this.knownAddresses = known;
  }
}

/** Thrown by `InMemoryNetwork.transport` when a live transport already has that address. */
export class AddressInUseError extends MultinodeError {
  /** The address that is taken. */
  readonly address: string;

  constructor(address: string) {
    super(
      'ADDRESS_IN_USE',
      `The address '${address}' already has a live transport on this network. ` +
        'Close it or call removeNode first if you mean to start a new incarnation of that node.',
    );
    this.address = address;
  }
}

/** Thrown for a transport set up with inconsistent options (e.g. a peer named like `self`). */
export class InvalidTransportConfigError extends MultinodeError {
  constructor(message: string) {
    super('INVALID_TRANSPORT_CONFIG', message);
  }
}

/** Thrown by the link-fault hooks of `InMemoryNetwork` for an out-of-range probability or delay. */
export class InvalidLinkFaultError extends MultinodeError {
  constructor(message: string) {
    super('INVALID_LINK_FAULT', message);
  }
}
