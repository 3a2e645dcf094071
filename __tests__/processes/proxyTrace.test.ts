import { proxyEventLine } from '../../src/processes/proxyTrace';

describe('proxyEventLine', () => {
  const base = { time: 1, dialer: 'a', target: 'b', connection: 3 };

  it('keeps refused and reset connections and faulted chunks, as lines of the dialer with the proxy and connection', () => {
    expect(proxyEventLine({ ...base, type: 'refused', reason: 'partition' })).toEqual({
      level: 'warn',
      message: 'connection a → b refused (partition)',
      fields: { proxy: 'a → b', connection: 3, reason: 'partition' },
    });
    expect(proxyEventLine({ ...base, type: 'reset', reason: 'target-error', detail: 'ECONNRESET' })?.message).toBe('connection a → b #3 reset (target-error: ECONNRESET)');
    expect(proxyEventLine({ ...base, type: 'chunk', from: 'b', to: 'a', bytes: 120, fate: 'discarded', delayMs: 0 })).toMatchObject({ level: 'warn', message: '120 bytes b → a discarded (blackhole)' });
    expect(proxyEventLine({ ...base, type: 'chunk', from: 'a', to: 'b', bytes: 8, fate: 'delayed', delayMs: 300 })).toMatchObject({ level: 'debug', message: '8 bytes a → b delayed 300 ms' });
  });

  it('leaves out connections opened and closed, and forwarded chunks', () => {
    expect(proxyEventLine({ ...base, type: 'opened' })).toBeNull();
    expect(proxyEventLine({ ...base, type: 'closed' })).toBeNull();
    expect(proxyEventLine({ ...base, type: 'chunk', from: 'a', to: 'b', bytes: 8, fate: 'forwarded', delayMs: 0 })).toBeNull();
  });
});
