import { FaultTable } from '../../../src/harness/FaultTable';
import { FaultProxy, type FaultProxyOptions } from '../../../src/processes/FaultProxy';
import { faultTableReader } from '../../../src/processes/faultReader';
import type { ProxyEvent } from '../../../src/processes/proxyEvents';
import { createRng } from '../../../src/util/Rng';
import { EventLog, Target, dial, until, type Peer } from './sockets';

/** Role index of the dialer in the fixture's fault table. */
export const A = 0;
/** Role index of the target. */
export const B = 1;

/** A proxy a -> b in front of an echo server, over a fresh fault table. */
export class Fixture {
  private readonly clients: Peer[] = [];

  private constructor(
    readonly table: FaultTable,
    readonly log: EventLog<ProxyEvent>,
    readonly target: Target,
    readonly proxy: FaultProxy,
  ) {}

  static async start(overrides: Partial<FaultProxyOptions> = {}, echo = true): Promise<Fixture> {
    const target = await Target.start({ echo });
    const table = new FaultTable(2);
    const log = new EventLog<ProxyEvent>();
    const proxy = await FaultProxy.start({
      dialer: 'a',
      target: 'b',
      targetEndpoint: target.endpoint,
      faults: faultTableReader(table, ['a', 'b']),
      rng: createRng(7),
      onEvent: log.listener,
      ...overrides,
    });
    return new Fixture(table, log, target, proxy);
  }

  /** Dials the proxy and waits until the proxy has connected it to the target (its 'opened' event). */
  async connect(): Promise<{ client: Peer; server: Peer }> {
    const client = await dial(this.proxy.address.port);
    this.clients.push(client);
    const server = await this.target.peer(this.target.peers.length + 1);
    const opened = this.target.peers.length;
    await until(() => this.log.of('opened').length >= opened, [this.log], ['event'], `connection ${opened} to be opened`);
    return { client, server };
  }

  /** Dials the proxy and waits for the connection to be refused. */
  async connectRefused(): Promise<Peer> {
    const client = await dial(this.proxy.address.port);
    this.clients.push(client);
    await client.waitClosed('the refused connection to close');
    return client;
  }

  async close(): Promise<void> {
    await this.proxy.close();
    for (const client of this.clients) client.socket.destroy();
    await this.target.close();
  }
}
