import { describe, expect, it } from '@jest/globals';
import { FaultTable } from '../../src/harness/FaultTable';
import { UnknownRoleError } from '../../src/harness/errors';
import { faultTableReader } from '../../src/processes/faultReader';
import { formatEndpoint, isLoopbackHost } from '../../src/processes/loopbackListen';

describe('isLoopbackHost', () => {
  it.each(['127.0.0.1', '127.0.0.2', '127.255.0.9', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1'])('accepts %s', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each(['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', '::ffff:10.0.0.1', 'localhost', '', '127.0.0'])('refuses %j', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});

describe('formatEndpoint', () => {
  it('writes host:port, with IPv6 hosts in brackets', () => {
    expect(formatEndpoint({ host: '127.0.0.3', port: 4000 })).toBe('127.0.0.3:4000');
    expect(formatEndpoint({ host: '::1', port: 4000 })).toBe('[::1]:4000');
  });
});

describe('faultTableReader', () => {
  it('reads links and nodes by role name, and names an unknown role', () => {
    const table = new FaultTable(2);
    table.setDelay(1, 0, 5, 9);
    table.setNodeState(1, 'crashed');
    const reader = faultTableReader(table, ['a', 'b']);
    expect(reader.linkFaults('b', 'a')).toMatchObject({ delayMinMs: 5, delayMaxMs: 9 });
    expect(reader.linkFaults('a', 'b')).toMatchObject({ delayMinMs: 0, delayMaxMs: 0 });
    expect(reader.nodeState('b')).toBe('crashed');
    expect(() => reader.nodeState('z')).toThrow(UnknownRoleError);
  });
});
