import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Rollup } from 'vite';
import { webAppDir } from '../api/plugins/web-app';

const appRoot = fileURLToPath(new URL('../../app', import.meta.url));

function newestChange(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestChange(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** True when dist/app is missing or older than anything under app/. */
export function webAppIsStale(): boolean {
  const index = join(webAppDir, 'index.html');
  return !existsSync(index) || statSync(index).mtimeMs < newestChange(appRoot);
}

/** Builds the app with Vite (a dev dependency, so imported only here) when dist/app is missing or stale. */
export async function buildWebApp(options: { force?: boolean } = {}): Promise<void> {
  if (!options.force && !webAppIsStale()) return;
  const { build } = await import('vite');
  await build({ configFile: join(appRoot, 'vite.config.ts'), logLevel: 'warn' });
}

/**
 * `npm run dev`: builds the app and rebuilds it on every change under app/ (reload the page to see an edit). Answers
 * once the first build is done, so the API serves the current app from its start; that first build is the watcher's
 * own (a watcher always builds when it starts), so a start costs one build, not a build and then the watcher's.
 */
export async function watchWebApp(): Promise<{ close(): Promise<void> }> {
  const { build } = await import('vite');
  const watcher = (await build({ configFile: join(appRoot, 'vite.config.ts'), logLevel: 'warn', build: { watch: {} } })) as Rollup.RollupWatcher;
  try {
    await new Promise<void>((resolve, reject) => {
      const first = (event: Rollup.RollupWatcherEvent) => {
        if (event.code !== 'END' && event.code !== 'ERROR') return;
        watcher.off('event', first);
        if (event.code === 'END') resolve();
        else reject(event.error);
      };
      watcher.on('event', first);
    });
  } catch (err) {
    await watcher.close();
    throw err;
  }
  return watcher;
}
