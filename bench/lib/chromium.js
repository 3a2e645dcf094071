'use strict';
// Debian's Chromium, headless and offline, driven by playwright-core: shared by the HTML timeline's
// e2e test and its benchmark.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/** Where Debian's `chromium` package puts the browser. */
const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Without these flags Chromium reaches for the network on its own (component updates, sync, field
 * trials, QUIC probes), which a machine without network refuses and which a test of an offline page
 * must not see anyway.
 */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Starts Chromium with a fresh user data directory and opens one page of `viewport` size. Resolves
 * with the page and `close()`, which ends the browser and removes the directory.
 *
 * @param {{ width: number, height: number }} [viewport]
 */
async function launchChromium(viewport = { width: 1400, height: 900 }) {
  const { chromium } = require('playwright-core');
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinode-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, viewport });
  } catch (error) {
    fs.rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    page,
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

module.exports = { CHROMIUM_PATH, CHROMIUM_ARGS, launchChromium };
