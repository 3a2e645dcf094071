import type { Socket } from 'node:net';
import { FrameDecoder, encodeFrame } from './frames';

/**
 * A socket that carries frames (see frames.ts): `send` writes one value, `onFrame` receives each
 * value in order. A malformed stream destroys the socket. Used by both ends of the control channel.
 */
export class FramedSocket {
  private readonly decoder = new FrameDecoder();
  private frameHandler: (frame: unknown) => void = () => undefined;
  private closeHandlers: Array<(error: Error | null) => void> = [];
  private failure: Error | null = null;
  private closeFired = false;

  constructor(readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      let frames: unknown[];
      try {
        frames = this.decoder.push(chunk);
      } catch (error) {
        this.failure = error as Error;
        socket.destroy();
        return;
      }
      for (const frame of frames) {
        if (socket.destroyed) return;
        this.frameHandler(frame);
      }
    });
    socket.on('error', (error) => (this.failure ??= error));
    socket.on('close', () => {
      this.closeFired = true;
      for (const handler of this.closeHandlers) handler(this.failure);
      this.closeHandlers = [];
    });
  }

  /** True once the socket is closed or being closed. */
  get closed(): boolean {
    return this.socket.destroyed;
  }

  /** Writes one frame; throws what encoding throws (an uncloneable value). A no-op once closed. */
  send(value: unknown): void {
    const frame = encodeFrame(value);
    if (!this.socket.destroyed) this.socket.write(frame);
  }

  /** Sets the one receiver of frames. */
  onFrame(handler: (frame: unknown) => void): void {
    this.frameHandler = handler;
  }

  /** Called once when the socket closes, with the error that closed it, if any. */
  onClose(handler: (error: Error | null) => void): void {
    if (this.closeFired) handler(this.failure);
    else this.closeHandlers.push(handler);
  }

  /** Ends the socket after what was written is flushed. */
  end(): void {
    this.socket.end();
  }

  /** Closes the socket at once and resolves when it is closed. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.onClose(() => resolve());
      this.socket.destroy();
    });
  }

  /** Closes the socket at once. */
  destroy(): void {
    this.socket.destroy();
  }
}
