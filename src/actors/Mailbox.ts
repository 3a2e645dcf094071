/**
 * A FIFO queue with O(1) push and shift, for actor mailboxes (an array's `shift` is O(n), which
 * hurts once a mailbox backs up).
 */
export class Mailbox<T> {
  private head: T[] = [];
  private headIndex = 0;
  private tail: T[] = [];

  /** Number of queued items. */
  get size(): number {
    return this.head.length - this.headIndex + this.tail.length;
  }

  /** Appends `item`. */
  push(item: T): void {
    this.tail.push(item);
  }

  /** Removes and returns the oldest item, or undefined when empty. */
  shift(): T | undefined {
    if (this.headIndex >= this.head.length) {
      if (this.tail.length === 0) return undefined;
      this.head = this.tail;
      this.tail = [];
      this.headIndex = 0;
    }
    const item = this.head[this.headIndex] as T;
    (this.head as (T | undefined)[])[this.headIndex] = undefined;
    this.headIndex++;
    return item;
  }

  /** Removes and returns every item, oldest first. */
  drain(): T[] {
    const items = [...this.head.slice(this.headIndex), ...this.tail];
    this.head = [];
    this.tail = [];
    this.headIndex = 0;
    return items;
  }
}
