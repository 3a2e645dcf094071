import type { MessageHandler } from './Transport';

/**
 * The subscribers of one transport. Subscribing the same function twice gives two independent
 * subscriptions, and a handler that throws does not starve the others: every handler runs, then
 * the first error is rethrown.
 */
export class HandlerSet {
  private readonly handlers = new Set<MessageHandler>();

  /** Adds `handler`; returns a function that removes this subscription only. */
  subscribe(handler: MessageHandler): () => void {
    const subscription: MessageHandler = (from, message) => handler(from, message);
    this.handlers.add(subscription);
    return () => {
      this.handlers.delete(subscription);
    };
  }

  /** Hands a message to every handler subscribed now. */
  deliver(from: string, message: unknown): void {
    let failure: { error: unknown } | undefined;
    for (const handler of [...this.handlers]) {
      try {
        handler(from, message);
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure !== undefined) throw failure.error;
  }

  /** Removes every subscription. */
  clear(): void {
    this.handlers.clear();
  }
}
