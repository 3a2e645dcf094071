import type { PageMessage } from './pageModel';

/** How many arrows a page draws one by one; past this, messages are bundled. */
export const DEFAULT_ARROW_THRESHOLD = 2000;

/** How many time slots the drawn range is cut into first when bundling (per link and message type). */
const FIRST_SLOTS = 200;

/**
 * The arrows to draw for `messages` (sorted by send time). Up to `threshold` messages are drawn
 * one by one. Past it, messages of the same type on the same link sent in the same slot of time and
 * with the same fate (delivered, or dropped for the same reason) become one arrow carrying their
 * count, from their first send to their last receive; the drawn range is cut into 200 slots, and
 * into half as many again while that still gives more than `threshold` arrows. So a test with
 * 10,000 messages draws at most `threshold` arrows, and every link, type and drop stays visible.
 */
export function bundleMessages(messages: readonly PageMessage[], rangeMs: number, threshold = DEFAULT_ARROW_THRESHOLD): Bundled {
  if (messages.length <= threshold) return { arrows: [...messages], slotMs: null };
  let slotMs = Math.max(rangeMs, 1) / FIRST_SLOTS;
  let arrows = bundleBySlot(messages, slotMs);
  for (let slots = FIRST_SLOTS / 2; arrows.length > threshold && slots >= 1; slots /= 2) {
    slotMs = Math.max(rangeMs, 1) / Math.floor(slots);
    arrows = bundleBySlot(messages, slotMs);
  }
  return { arrows, slotMs };
}

/** The arrows to draw, and the slot of time bundled messages were sent in (null when none was bundled). */
export interface Bundled {
  readonly arrows: PageMessage[];
  readonly slotMs: number | null;
}

function bundleBySlot(messages: readonly PageMessage[], slotMs: number): PageMessage[] {
  const bundles = new Map<string, PageMessage>();
  for (const message of messages) {
    const slot = Math.floor(message.sendMs / slotMs);
    const key = `${slot}\u0000${message.from}\u0000${message.to}\u0000${message.type}\u0000${message.dropped ?? ''}\u0000${message.receiveMs === null}`;
    const bundle = bundles.get(key);
    if (bundle === undefined) {
      bundles.set(key, { ...message });
      continue;
    }
    bundles.set(key, {
      ...bundle,
      count: bundle.count + message.count,
      receiveMs: bundle.receiveMs === null || message.receiveMs === null ? null : Math.max(bundle.receiveMs, message.receiveMs),
      delayMs: Math.max(bundle.delayMs, message.delayMs),
    });
  }
  return [...bundles.values()].sort((x, y) => x.sendMs - y.sendMs);
}
