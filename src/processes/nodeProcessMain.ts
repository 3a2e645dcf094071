/**
 * The entry module of a node process (started by `spawnNodeProcess` with `process.execPath`). It
 * listens for its peers on loopback, dials the harness's control channel from its environment,
 * authenticates with the run's token, and serves the harness until the channel closes: then it
 * exits, so a node process never outlives its harness.
 */
import { connect } from 'node:net';
import { systemClock } from '../util';
import { FramedSocket } from './FramedSocket';
import { listenEphemeralLoopback } from './ephemeralLoopback';
import { FactoryNodeRunner } from './FactoryNodeRunner';
import { CONTROL_ADDRESS_ENV, CONTROL_TOKEN_ENV } from './protocol';

/** Exit code of a node process started without a usable control address or token. */
export const EXIT_BAD_ENVIRONMENT = 78;

async function main(): Promise<void> {
  const address = process.env[CONTROL_ADDRESS_ENV] ?? '';
  const token = process.env[CONTROL_TOKEN_ENV] ?? '';
  // The node's own code has no business with the token.
  delete process.env[CONTROL_TOKEN_ENV];
  const match = /^127\.0\.0\.1:(\d{1,5})$/.exec(address);
  if (match === null || token === '') {
    process.stderr.write(`A node process needs ${CONTROL_ADDRESS_ENV} (127.0.0.1:port, was ${JSON.stringify(address)}) and ${CONTROL_TOKEN_ENV} in its environment; it is started by the harness, not by hand.\n`);
    process.exit(EXIT_BAD_ENVIRONMENT);
  }
  const { server, address: link } = await listenEphemeralLoopback();
  const control = new FramedSocket(connect({ host: '127.0.0.1', port: Number(match[1]) }));
  let node: FactoryNodeRunner | null = null;
  const exit = (): void => {
    node?.shutdown();
    server.close();
    control.destroy();
    process.exit(0);
  };
  control.onClose(exit);
  control.send({ type: 'hello', token, pid: process.pid, link });
  node = new FactoryNodeRunner(control, server, systemClock, () => control.end());
}

void main().catch((error: unknown) => {
  process.stderr.write(`The node process failed before its node started: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
