import type { Endpoint } from './loopbackListen';
import { createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP server listening on an ephemeral port of 127.0.0.1 (never beyond loopback). Until its owner
 * adds a `connection` listener, connections are refused by closing them.
 */
export function listenEphemeralLoopback(): Promise<{ server: Server; address: Endpoint }> {
  const server = createServer((socket: Socket) => socket.destroy());
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      server.off('error', reject);
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        return reject(new Error('A loopback listener got no TCP address.'));
      }
      resolve({ server, address: { host: address.address, port: address.port } });
    });
  });
}
