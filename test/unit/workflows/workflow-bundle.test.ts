import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker/lib/workflow/bundler';
import { afterAll, expect, it } from 'vitest';
import { bundleIsCurrent, loadWorkflowBundle } from '../../../src/temporal/workflow-bundle';

/** A worker process never runs a stale bundle (src/temporal/workflow-bundle.ts): each of its sources must read as bundled. */
const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error };
const dir = mkdtempSync(join(tmpdir(), 'workflow-bundle-test-'));
// The bundler resolves the SDK's workflow modules from the workflows' directory.
symlinkSync(fileURLToPath(new URL('../../../node_modules', import.meta.url)), join(dir, 'node_modules'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('a bundle is current until one of its sources changes or goes', async () => {
  const source = join(dir, 'workflows.ts');
  const greet = "export async function greet(): Promise<string> {\n  return 'hej';\n}\n";
  writeFileSync(source, greet);
  const bundle = join(dir, 'bundle.js');
  writeFileSync(bundle, (await bundleWorkflowCode({ workflowsPath: source, logger: quiet })).code);
  expect(bundleIsCurrent(bundle)).toBe(true);

  writeFileSync(source, greet.replace('hej', 'hallo'));
  expect(bundleIsCurrent(bundle)).toBe(false);
  writeFileSync(source, greet);
  expect(bundleIsCurrent(bundle)).toBe(true);
  rmSync(source);
  expect(bundleIsCurrent(bundle)).toBe(false);

  expect(bundleIsCurrent(join(dir, 'missing.js'))).toBe(false);
  writeFileSync(join(dir, 'no-map.js'), 'module.exports = {};\n');
  expect(bundleIsCurrent(join(dir, 'no-map.js'))).toBe(false);
}, 120_000);

it('without a current prebuilt bundle, one is built in a child process and removed once read', async () => {
  const loaded = await loadWorkflowBundle(join(dir, 'missing.js'));
  expect(loaded.prebuilt).toBe(false);
  expect(bundleIsCurrent(loaded.codePath)).toBe(true);
  loaded.release();
  expect(existsSync(loaded.codePath)).toBe(false);
}, 180_000);
