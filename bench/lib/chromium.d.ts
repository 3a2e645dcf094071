import type { Page } from 'playwright-core';

/** Where Debian's `chromium` package puts the browser. */
export declare const CHROMIUM_PATH: string;
/** The flags that keep headless Chromium off the network. */
export declare const CHROMIUM_ARGS: readonly string[];
/** Starts Chromium with a fresh user data directory and one page; `close()` ends it and removes the directory. */
export declare function launchChromium(viewport?: { width: number; height: number }): Promise<{ page: Page; close(): Promise<void> }>;
