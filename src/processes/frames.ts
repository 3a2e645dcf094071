import { deserialize, serialize } from 'node:v8';
import { ProcessNodeError } from './nodeProcessErrors';

/** Bytes of the length prefix in front of every frame. */
const HEADER_BYTES = 4;

/** The largest frame either side accepts; a longer one means a corrupt or hostile stream. */
export const MAX_FRAME_BYTES = 256 * 1024 * 1024;

/**
 * One frame: a 4-byte big-endian length, then the value as `v8.serialize` writes it (structured
 * clone semantics, as between threads). Throws what `v8.serialize` throws for a value it cannot
 * copy (a function, a symbol, a host object); callers turn that into an error naming the field.
 */
export function encodeFrame(value: unknown): Buffer {
  const body = serialize(value);
  if (body.length > MAX_FRAME_BYTES) {
    throw new ProcessNodeError('FRAME_TOO_LARGE', `A value of ${body.length} bytes was sent; one frame holds at most ${MAX_FRAME_BYTES} bytes. Send smaller messages.`);
  }
  const header = Buffer.allocUnsafe(HEADER_BYTES);
  header.writeUInt32BE(body.length, 0);
  return Buffer.concat([header, body]);
}

/**
 * Cuts a byte stream back into the values `encodeFrame` wrote. Feed it every chunk a socket gives;
 * it keeps a partial frame until the rest arrives.
 */
export class FrameDecoder {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  /** Adds a chunk and returns every value completed by it, in order. Throws on an oversized frame. */
  push(chunk: Buffer): unknown[] {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes < HEADER_BYTES) return [];
    let buffer = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    const values: unknown[] = [];
    let offset = 0;
    while (buffer.length - offset >= HEADER_BYTES) {
      const length = buffer.readUInt32BE(offset);
      if (length > MAX_FRAME_BYTES) {
        throw new ProcessNodeError('FRAME_TOO_LARGE', `A frame announced ${length} bytes; at most ${MAX_FRAME_BYTES} are accepted, so the stream is corrupt or not ours.`);
      }
      if (buffer.length - offset - HEADER_BYTES < length) break;
      values.push(deserialize(buffer.subarray(offset + HEADER_BYTES, offset + HEADER_BYTES + length)));
      offset += HEADER_BYTES + length;
    }
    buffer = buffer.subarray(offset);
    this.pending = buffer.length > 0 ? [buffer] : [];
    this.pendingBytes = buffer.length;
    return values;
  }
}
