import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporalAnswers } from '../../src/temporal/cli-server';
import { freePort } from '../support/stack/free-port';
import { eventually } from '../support/harness';

/**
 * The README's "Try it" as a person follows it: `npm run dev` started with the command the README gives, the shell
 * block run as written (only the port differs), and what it prints compared with the lines the README shows. Then
 * the service is stopped as a person stops it, Ctrl-C in the terminal (SIGINT to the whole process group), and once
 * more with SIGTERM to npm alone: each time it stops in order and leaves no Temporal server behind.
 */
const root = new URL('../../', import.meta.url).pathname;
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const tryIt = readme.slice(readme.indexOf('## Try it'), readme.indexOf('\n## ', readme.indexOf('## Try it')));
const blocks = [...tryIt.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
const startCommand = blocks[0]!.trim();
const session = blocks[1]!;

let dataDir: string;
let ports: { api: number; temporal: number; ui: number };
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'ledgerbridge-readme-'));
  ports = { api: await freePort(), temporal: await freePort(), ui: await freePort() };
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

interface Dev {
  npm: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** `npm run dev` as the README starts it, in a process group of its own (as a terminal's foreground job is). */
async function startDev(): Promise<Dev> {
  const [, adminKey] = /^ADMIN_API_KEY=(\S+) npm run dev$/.exec(startCommand) ?? [];
  expect(adminKey, 'the start command sets the admin key').toBeTruthy();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ADMIN_API_KEY: adminKey,
    DATA_DIR: dataDir,
    PORT: String(ports.api),
    TEMPORAL_UI_PORT: String(ports.ui),
    TEMPORAL_ADDRESS: `127.0.0.1:${ports.temporal}`,
  };
  delete env.DATABASE_URL; // the README's path: the embedded PGlite
  // --ignore-scripts: predev (ensure-setup) is tested on its own; here node_modules may be shared with other checkouts.
  const npm = spawn('npm', ['run', 'dev', '--ignore-scripts'], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  npm.stdout!.on('data', (d) => (out += d));
  npm.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
  await eventually(async () => (out.includes('ledgerbridge is running') ? true : npm.exitCode !== null ? out : undefined), 180_000, 'npm run dev to start').then(
    (r) => expect(r, out).toBe(true),
  );
  return { npm, output: () => out, exited };
}

/** Stops it with `signal` sent to `target`; answers what it printed from the signal on. */
async function stopDev(dev: Dev, signal: NodeJS.Signals, target: 'group' | 'npm') {
  const before = dev.output().length;
  process.kill(target === 'group' ? -dev.npm.pid! : dev.npm.pid!, signal);
  const code = await Promise.race([dev.exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 90_000))]);
  const after = dev.output().slice(before);
  expect(code, after).toBe(0);
  return after;
}

function expectOrderlyStop(after: string) {
  const steps = ['stopped: API', 'stopped: worker (drained)', 'stopped: Temporal', 'stopped: database'].map((s) => after.indexOf(s));
  expect(steps.every((i) => i >= 0), after).toBe(true);
  expect([...steps].sort((a, b) => a - b), after).toEqual(steps);
  // The worker drained against a live Temporal server: no failed polls or retries while stopping.
  expect(after, 'warnings while stopping').not.toMatch(/\[WARN\]|\[ERROR\]|retry/i);
}

describe("the README's Try it", () => {
  it('books the order and prints what the README shows; Ctrl-C then stops in order', async () => {
    const dev = await startDev();
    const run = spawnSync('bash', ['-eo', 'pipefail', '-c', session.replaceAll('localhost:3000', `localhost:${ports.api}`)], {
      cwd: root,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.status, run.stderr + dev.output().slice(-3000)).toBe(0);
    const documented = [...session.matchAll(/^# {3}(.+)$/gm)].map((m) => m[1]!);
    const printed = run.stdout.trim().split('\n');
    expect(printed).toHaveLength(documented.length);
    documented.forEach((line, i) => {
      const pattern = new RegExp(`^${line.split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
      expect(printed[i], `README line "${line}"`).toMatch(pattern);
    });

    expectOrderlyStop(await stopDev(dev, 'SIGINT', 'group'));
    expect(await temporalAnswers(`127.0.0.1:${ports.temporal}`)).toBe(false);
  }, 400_000);

  it('keeps its data over a restart, and SIGTERM to npm alone stops it in order too', async () => {
    const dev = await startDev();
    const adminKey = /ADMIN_API_KEY=(\S+)/.exec(startCommand)![1];
    const shops = await fetch(`http://localhost:${ports.api}/v1/admin/shops`, { headers: { authorization: `Bearer ${adminKey}` } });
    expect(JSON.stringify(await shops.json())).toContain('Kaffekopper ApS');
    expectOrderlyStop(await stopDev(dev, 'SIGTERM', 'npm'));
    expect(await temporalAnswers(`127.0.0.1:${ports.temporal}`)).toBe(false);
  }, 400_000);
});
