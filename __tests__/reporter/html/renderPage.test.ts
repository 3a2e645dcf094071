import * as path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { buildTimelinePage } from '../../../reporter/html/buildTimelinePage';
import { htmlFilePath, safeTestName } from '../../../reporter/html/htmlFilePath';
import { jsonForScript, renderTimelinePage } from '../../../reporter/html/renderPage';
import { FAILING_TRACE, FORMS, logEvent, makeTest, makeTrace, passed } from '../fixtures/traces';

describe('renderTimelinePage', () => {
  it('is one self-contained page: inline style and script, the data as one JSON blob, nothing loaded', () => {
    const html = renderTimelinePage(buildTimelinePage(FAILING_TRACE, FORMS));
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';");
    expect(html).not.toMatch(/\b(src|href)=|@import|url\(http|https?:\/\/(?!www\.w3\.org\/2000\/svg')/);
    expect(html.match(/<script type="application\/json" id="timeline-data">/g)).toHaveLength(1);
    const blob = /<script type="application\/json" id="timeline-data">([^<]*)<\/script>/.exec(html)?.[1];
    expect(JSON.parse(blob ?? '')).toEqual(JSON.parse(JSON.stringify(buildTimelinePage(FAILING_TRACE, FORMS))));
  });

  it('keeps trace text from ending the blob or opening markup', () => {
    const test = makeTest(['a </script><script>alert(1)</script>'], { a: passed() });
    const trace = makeTrace({ roles: ['a'], tests: [test], events: [logEvent({ time: test.startedAt + 1, role: 'a', test: test.id }, 'info', '</script><!-- \u2028')] });
    const html = renderTimelinePage(buildTimelinePage(trace, test));
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).toContain('<title>✓ a &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; — __tests__/cluster.test.ts</title>');
    expect(jsonForScript({ t: '</script>\u2028' })).toBe('{"t":"\\u003c/script>\\u2028"}');
  });
});

describe('htmlFilePath', () => {
  it('is outputDir, the project folder, the test file path, then the test name', () => {
    expect(htmlFilePath('/out', null, '__tests__/kv.test.ts', 'kv replicates a write')).toBe(path.join('/out', '__tests__', 'kv.test.ts', 'kv replicates a write.html'));
    expect(htmlFilePath('/out', 'api', 'kv.test.ts', 'x')).toBe(path.join('/out', 'api', 'kv.test.ts', 'x.html'));
  });

  it('makes names safe, and tells changed or long names apart by a hash', () => {
    expect(safeTestName('kv: a/b?')).toMatch(/^kv_ a_b_-[0-9a-f]{10}$/);
    expect(safeTestName('kv: a/b?')).not.toBe(safeTestName('kv: a_b?'));
    const long = safeTestName('x'.repeat(300));
    expect(long).toMatch(/^x{120}-[0-9a-f]{10}$/);
    expect(htmlFilePath('/out', null, '../../etc/passwd', '..')).toBe(path.join('/out', '__', '__', 'etc', 'passwd', `${safeTestName('..')}.html`));
    expect(safeTestName('..')).toMatch(/^__-[0-9a-f]{10}$/);
  });
});
