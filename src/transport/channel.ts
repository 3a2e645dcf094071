import type { Transport } from './Transport';

/** The envelope a channel wraps around each message on the underlying transport. */
interface ChannelEnvelope {
  readonly ch: string;
  readonly m: unknown;
}

function isChannelEnvelope(value: unknown): value is ChannelEnvelope {
  return typeof value === 'object' && value !== null && typeof (value as ChannelEnvelope).ch === 'string' && 'm' in value;
}

/**
 * A named sub-transport over `base`, so that several protocols (actor remoting, cluster gossip)
 * share one node link without seeing each other's messages. Both ends must use the same name.
 */
export function channel(base: Transport, name: string): Transport {
  return {
    self: base.self,
    send: (to, message) => base.send(to, { ch: name, m: message } satisfies ChannelEnvelope),
    onMessage: (handler) =>
      base.onMessage((from, message) => {
        if (isChannelEnvelope(message) && message.ch === name) handler(from, message.m);
      }),
  };
}
