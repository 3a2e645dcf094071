import type { MessageReceiveRecord, MessageSendRecord } from '../../../src/harness/TraceBuffer';

/** A sender's half of a message record, with test defaults. */
export const send = (role: string, seq: number, time: number, lamport: number, more: Partial<MessageSendRecord> = {}): MessageSendRecord => ({
  type: 'msg-send',
  time,
  role,
  lamport,
  test: 't1',
  to: 'b',
  seq,
  dropped: null,
  delayMs: 0,
  preview: 'ping',
  ...more,
});

/** A receiver's half of a message record. */
export const recv = (role: string, from: string, seq: number, time: number, lamport: number): MessageReceiveRecord => ({
  type: 'msg-recv',
  time,
  role,
  lamport,
  from,
  seq,
});
