import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

/** `npm run dev`: rebuild on every change under app/ (reload the page to see an edit). */
export async function watchWebApp(): Promise<{ close(): Promise<void> }> {
  const { build } = await import('vite');
  const watcher = await build({ configFile: join(appRoot, 'vite.config.ts'), logLevel: 'warn', build: { watch: {} } });
  return watcher as unknown as { close(): Promise<void> };
}
