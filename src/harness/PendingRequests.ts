import { deserializeError, type SerializedError } from '../util';

interface Pending {
  readonly role: string;
  resolve(): void;
  reject(error: Error): void;
}

/**
 * The lead's requests to role threads that wait for a reply (node operations, members Up): each has
 * a number the role's `reply` names; a request to a role that is gone is rejected, never left waiting.
 */
export class PendingRequests {
  private readonly pending = new Map<number, Pending>();
  private next = 1;

  /** Numbers a request to `role`, sends it with `send`, and resolves or rejects with the role's reply. */
  request(role: string, send: (requestId: number) => void): Promise<void> {
    const requestId = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(requestId, { role, resolve, reject });
      send(requestId);
    });
  }

  /** Settles request `requestId` with the role's reply; an unknown number (already settled) is ignored. */
  reply(requestId: number, error: SerializedError | null): void {
    const pending = this.pending.get(requestId);
    if (pending === undefined) return;
    this.pending.delete(requestId);
    if (error === null) pending.resolve();
    else pending.reject(deserializeError(error));
  }

  /** Rejects every request to `role` (or to every role when `role` is null) with `error`. */
  rejectAll(role: string | null, error: Error): void {
    for (const [id, pending] of this.pending) {
      if (role !== null && pending.role !== role) continue;
      this.pending.delete(id);
      pending.reject(error);
    }
  }
}
