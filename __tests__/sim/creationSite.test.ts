import { creationSite } from '../../src/sim/creationSite';

const stack = (...frames: string[]) => ({ stack: ['Error', ...frames.map((f) => `    at ${f}`)].join('\n') });

describe('creationSite', () => {
  it('skips node:, node_modules, native and the watcher\'s own frames, and names the last Node API', () => {
    const site = creationSite(
      stack(
        'init (/app/src/sim/wakeWatch.ts:10:5)',
        'emitInitNative (node:internal/async_hooks:202:43)',
        'initAsyncResource (node:internal/timers:163:5)',
        'new Timeout (node:internal/timers:197:5)',
        'node:timers/promises:86:21',
        'new Promise (<anonymous>)',
        'setTimeout (node:timers/promises:84:10)',
        'wait (/app/node_modules/lib/index.js:3:9)',
        'Object.<anonymous> (/app/__tests__/a.test.ts:12:7)',
      ),
      '/app/src/sim/wakeWatch.ts',
    );
    expect(site).toEqual({ userLine: '/app/__tests__/a.test.ts:12:7', api: 'timers/promises setTimeout' });
  });

  it('names fs and fs.promises calls, and falls back to a node_modules frame when no user frame is left', () => {
    expect(creationSite(stack('Object.readFile (node:fs:375:20)', 'load (/app/x.ts:2:3)'), 'none').api).toBe('fs.readFile');
    expect(creationSite(stack('open (node:internal/fs/promises:639:25)', 'Object.readFile (node:internal/fs/promises:1242:14)', 'x (/app/x.ts:2:3)'), 'none').api).toBe(
      'fs.promises.readFile',
    );
    expect(creationSite(stack('setTimeout (node:timers:140:19)', 'tick (/app/node_modules/lib/a.js:1:1)'), 'none')).toEqual({
      userLine: '/app/node_modules/lib/a.js:1:1',
      api: 'setTimeout',
    });
  });
});
