/**
 * The wire format between `MessageChannelTransport`s on a `MessagePort`. Every frame names both
 * ends so that a hub can relay frames between spokes without looking inside them.
 */

/** Application data from `from` to `to`; `body` is the message given to `send`. */
export interface DataFrame {
  readonly type: 'data';
  readonly from: string;
  readonly to: string;
  readonly body: unknown;
}

/** Every frame a `MessageChannelTransport` posts or accepts. */
export type PortFrame = DataFrame;

/** Checks the shape of a frame that came from another thread. */
export function isPortFrame(value: unknown): value is PortFrame {
  if (typeof value !== 'object' || value === null) return false;
  const frame = value as Partial<DataFrame>;
  return frame.type === 'data' && typeof frame.from === 'string' && typeof frame.to === 'string' && 'body' in frame;
}
