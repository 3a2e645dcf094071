import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CHROMIUM_PATH, launchChromium } from '../../bench/lib/chromium';
import { ensureAptPackage } from './helpers/aptPackage';
import { FIXTURES, PROJECT_ROOT, runJest, statuses, type JestRun } from './helpers/runJest';

/**
 * The HTML timeline of a failed scenario, opened in a real headless Chromium (Debian's package,
 * installed here when missing): it draws every part without a console error or a network request.
 * The screenshot stays in the fixture's multinode-report/ for CI to keep as an artifact.
 */
const reportDir = path.join(FIXTURES, 'timeline', 'multinode-report');
const SCREENSHOT = path.join(reportDir, 'timeline.png');
const TEST_NAME = 'replication replicates a write across a partition';

const missingChromium = ensureAptPackage('chromium', () => fs.existsSync(CHROMIUM_PATH));
if (missingChromium !== null) console.warn(`Skipping the HTML timeline's browser test: ${missingChromium}.`);
const describeWithChromium = missingChromium === null ? describe : describe.skip;

let run: JestRun;

beforeAll(async () => {
  fs.rmSync(reportDir, { recursive: true, force: true });
  run = await runJest('timeline', ['--reporters', 'default', '--reporters', path.join(PROJECT_ROOT, 'dist', 'reporter', 'index.js')], { env: { MULTINODE_SEED: '5' } });
}, 200_000);

const pagePath = (): string => path.join(reportDir, 'replication.test.ts', `${TEST_NAME}.html`);

it('writes the page of the failed test and lists it under the failure', () => {
  expect(statuses(run)).toEqual([`${TEST_NAME}: failed`]);
  expect(fs.existsSync(pagePath())).toBe(true);
  expect(run.stderr).toContain(`html timeline: ${path.relative(path.join(FIXTURES, 'timeline'), pagePath())}\n`);
});

describeWithChromium('in headless Chromium', () => {
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  const consoleErrors: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    browser.page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') consoleErrors.push(message.text());
    });
    browser.page.on('pageerror', (error) => consoleErrors.push(error.message));
    browser.page.on('request', (request) => requests.push(request.url()));
    await browser.page.goto(pathToFileURL(pagePath()).href);
    await browser.page.waitForSelector('body[data-rendered]', { timeout: 10_000 });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('draws a lane per role, a fault window, barrier spans, message arrows and the failure marker', async () => {
    const page = browser.page;
    expect(await page.locator('svg .lane').evaluateAll((lanes) => lanes.map((lane) => lane.getAttribute('data-role')))).toEqual(['a', 'b', 'c']);
    expect(await page.locator('rect.fault-window.fault-partition').count()).toBe(2); // lanes a and c
    expect(await page.locator('rect.barrier-span').count()).toBeGreaterThanOrEqual(6); // 'ready' and 'written' on 3 roles
    expect(await page.locator('line.message-arrow').count()).toBeGreaterThanOrEqual(1); // the put a → b
    expect(await page.locator('g.message-arrow.dropped').count()).toBeGreaterThanOrEqual(1); // the put a → c, cut
    const marker = page.locator('path.failure-marker');
    expect(await marker.count()).toBe(1);
    expect(await marker.getAttribute('data-role')).toBe('c');
    expect(await marker.getAttribute('data-tip')).toMatch(/c failed \(root-cause\)[\s\S]*Expected: 1\s+Received: undefined/);
    expect(await page.locator('#verdicts').innerText()).toMatch(/c\s+failed\s+[\d.]+ ms\s+root cause/);
    expect(await page.locator('#rerun').innerText()).toContain("MULTINODE_SEED=5 npx jest");
  });

  it("lists the root cause with its code frame, then the first anomaly before it failed", async () => {
    const failures = browser.page.locator('#failures');
    expect(await failures.locator('.failure.root-cause strong').innerText()).toBe('c');
    expect(await failures.locator('.code-frame').innerText()).toMatch(/^at replication\.test\.ts:\d+:\d+\n[\s\S]*> *\d+ \| .*expect\(kv\.store\.get\('x'\)\)\.toBe\(1\)/);
    expect(await failures.locator('.first-anomaly').innerText()).toMatch(/^First anomaly, before c failed: [\d.]+ ms\s+a\s+fault\s+partition a \| c$/);
  });

  it('shows hover text, searches log lines and filters roles', async () => {
    const page = browser.page;
    await page.locator('circle.log-point').first().hover();
    expect(await page.locator('#tip').innerText()).toMatch(/partitioned a from c|kv node|sees x=/);
    await page.fill('#search', 'sees x=undefined');
    expect(await page.locator('#results').innerText()).toMatch(/ms\s+c\s+info\s+role c sees x=undefined/);
    expect(await page.locator('circle.log-point.match').count()).toBe(1);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    await page.fill('#search', '');
    await page.locator('#role-filter input[data-role="b"]').uncheck();
    expect(await page.locator('svg .lane').evaluateAll((lanes) => lanes.map((lane) => lane.getAttribute('data-role')))).toEqual(['a', 'c']);
    await page.locator('#role-filter input[data-role="b"]').check();
  });

  it('zooms in and back out', async () => {
    const page = browser.page;
    const axis = (): Promise<string> => page.locator('svg .axis').innerHTML();
    const before = await axis();
    await page.click('#zoom-in');
    await page.click('#zoom-in');
    expect(await axis()).not.toBe(before);
    await page.click('#zoom-fit');
    expect(await axis()).toBe(before);
  });

  it('had no console error and made no network request besides the page itself', () => {
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([pathToFileURL(pagePath()).href]);
  });
});
