import { FrameDecoder, MAX_FRAME_BYTES, encodeFrame } from '../../src/processes/frames';

describe('frames', () => {
  it('decodes values split across chunks at any byte, and several values in one chunk', () => {
    const values = [{ type: 'msg', seq: 1, payload: new Map([['k', [1, 2]]]) }, 'text', { big: 'x'.repeat(10_000), at: new Date(5) }];
    const bytes = Buffer.concat(values.map((value) => encodeFrame(value)));
    for (const step of [1, 3, 7, 4096, bytes.length]) {
      const decoder = new FrameDecoder();
      const out: unknown[] = [];
      for (let at = 0; at < bytes.length; at += step) out.push(...decoder.push(bytes.subarray(at, at + step)));
      expect(out).toEqual(values);
    }
  });

  it('throws for a value structured clone cannot copy', () => {
    expect(() => encodeFrame({ fn: () => 1 })).toThrow(/could not be cloned/);
  });

  it('rejects a frame that announces more than the limit, as a corrupt stream', () => {
    const header = Buffer.alloc(4);
    header.writeUInt32BE(MAX_FRAME_BYTES + 1, 0);
    expect(() => new FrameDecoder().push(header)).toThrow(`A frame announced ${MAX_FRAME_BYTES + 1} bytes; at most ${MAX_FRAME_BYTES} are accepted`);
  });
});
