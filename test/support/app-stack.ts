import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser } from './browser';
import { startHarness, type Harness } from './harness';

export interface AppStack {
  h: Harness;
  browser: Browser;
  /** Where the API (and the app under /app) listens, e.g. http://127.0.0.1:41234. */
  baseUrl: string;
}

/**
 * A browser test file's stack: the harness's API listening on a free port (the app is served by it) and a Chromium,
 * started before the file's tests and stopped after them. `use` receives them once started.
 */
export function useAppStack(use: (stack: AppStack) => void): void {
  let stack: Partial<AppStack> = {};
  beforeAll(async () => {
    const h = await startHarness();
    stack = { h, baseUrl: await h.app.listen({ host: '127.0.0.1', port: 0 }), browser: await launchBrowser() };
    use(stack as AppStack);
  });
  afterAll(async () => {
    await stack.browser?.close();
    await stack.h?.close();
  });
}
