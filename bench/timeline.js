'use strict';
// The HTML timeline of a 3-role test with 10,000 node-to-node messages: its size, the time to build
// it in Node, and the time headless Chromium takes to draw it.
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { CHROMIUM_PATH, launchChromium } = require('./lib/chromium');
const { runJest, ROOT } = require('./lib/jest');
const { median } = require('./lib/stats');

const MESSAGES = 10_000;
const FILE = 'timeline-3.test.js';

/**
 * One traced Jest run of `timeline-3.test.js` (3 roles, `MESSAGES` messages of 3 types in 20
 * barrier-separated rounds, a partition and a delay in force for some rounds, a log line per 100
 * messages), then its test's page, built `reps` times in Node (the reporter's own functions, from
 * dist/) and opened `reps` times in Debian's headless Chromium. The draw time is the page's own
 * figure: milliseconds from the start of navigation to the end of its first drawing (set on
 * `document.body.dataset.rendered`), so Chromium's start is not in it. The same page with every
 * message drawn as its own arrow (no bundling) is measured too, to show what bundling saves.
 */
async function timelinePage({ reps, tmpDir, log }) {
  if (!fs.existsSync(CHROMIUM_PATH)) throw new Error(`${CHROMIUM_PATH} is missing; install Debian's chromium package (apt-get install -y chromium) to run the timeline benchmark.`);
  const { buildTimelinePage, renderTimelinePage } = require(path.join(ROOT, 'dist', 'reporter', 'index.js'));
  const { trace } = await runJest({ project: 'harness', file: FILE, tmpDir, trace: true, env: { BENCH_TIMELINE_MESSAGES: String(MESSAGES) } });
  const test = trace.tests.find((candidate) => candidate.multinode);
  const messages = trace.events.filter((event) => event.type === 'message' && event.test === test.id).length;

  const buildMs = [];
  let html = '';
  for (let rep = 0; rep < reps; rep++) {
    const started = performance.now();
    html = renderTimelinePage(buildTimelinePage(trace, test));
    buildMs.push(performance.now() - started);
  }
  const pages = { bundled: html, unbundled: renderTimelinePage(buildTimelinePage(trace, test, { arrowThreshold: Number.POSITIVE_INFINITY })) };
  const files = {};
  for (const [name, text] of Object.entries(pages)) {
    files[name] = path.join(tmpDir, `timeline-${name}.html`);
    fs.writeFileSync(files[name], text);
  }

  const browser = await launchChromium();
  const drawMs = { bundled: [], unbundled: [] };
  const arrows = {};
  const errors = [];
  browser.page.on('pageerror', (error) => errors.push(error.message));
  try {
    for (let rep = 0; rep < reps; rep++) {
      for (const name of Object.keys(pages)) {
        await browser.page.goto(pathToFileURL(files[name]).href);
        await browser.page.waitForSelector('body[data-rendered]', { timeout: 30_000 });
        drawMs[name].push(Number(await browser.page.evaluate(() => document.body.dataset.rendered)));
        arrows[name] = await browser.page.evaluate(() => document.querySelectorAll('line.message-arrow').length);
      }
      log(`  timeline: repetition ${rep + 1}/${reps} done`);
    }
  } finally {
    await browser.close();
  }
  if (errors.length > 0) throw new Error(`The timeline page threw in Chromium: ${errors.join('; ')}`);
  return {
    messages,
    bytes: Buffer.byteLength(pages.bundled),
    unbundledBytes: Buffer.byteLength(pages.unbundled),
    buildMs: median(buildMs),
    drawMs: median(drawMs.bundled),
    unbundledDrawMs: median(drawMs.unbundled),
    arrows: arrows.bundled,
    unbundledArrows: arrows.unbundled,
  };
}

module.exports = { timelinePage, MESSAGES };
