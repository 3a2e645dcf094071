export type { Transport, ClosableTransport, MessageHandler } from './Transport';
export { channel } from './channel';
export { UncloneableMessageError, cloneForSend, toUncloneableError, findUncloneable } from './cloneCheck';
