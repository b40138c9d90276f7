#!/usr/bin/env node
/* global process, console, setInterval, clearInterval, setTimeout */
// Runs before `npm run dev` and `npm test` (npm's predev/pretest) and in .ci/run: installs what a fresh clone lacks,
// with progress, and does nothing when all is there. Plain Node with no dependencies: it runs before `npm ci` has.
//   1. dependencies: `npm ci` when node_modules is missing or does not match package-lock.json;
//   2. the Temporal CLI (the dev server): TEMPORAL_CLI_PATH, a `temporal` on PATH or in ~/.cache/ledgerbridge/bin;
//      else built with Go into that cache; else the Temporal SDK downloads it at start, if there is internet;
//      else stop, saying how to provide one.
import { spawnSync, spawn } from 'node:child_process';
import { accessSync, constants, readFileSync, readdirSync } from 'node:fs';
import { lookup } from 'node:dns/promises';
import { homedir, tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1'; // later versions carry a replace directive go install refuses
const cacheBin = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'ledgerbridge', 'bin');
const say = (line) => console.log(`[setup] ${line}`);

/** Packages package-lock.json names that node_modules lacks or holds in another version (npm's own record). */
function staleDependencies(lock, installed) {
  if (!installed) return ['node_modules'];
  return Object.entries(lock.packages ?? {})
    .filter(([path, pkg]) => path !== '' && !pkg.link)
    .filter(([path, pkg]) => (installed.packages?.[path] ? installed.packages[path].version !== pkg.version : !pkg.optional))
    .map(([path]) => path);
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

function ensureDependencies() {
  const lock = readJson(join(root, 'package-lock.json'));
  const stale = staleDependencies(lock, readJson(join(root, 'node_modules', '.package-lock.json')));
  if (stale.length === 0) return;
  say(
    stale[0] === 'node_modules'
      ? 'installing dependencies (npm ci; a minute or two the first time)…'
      : `dependencies differ from package-lock.json (${stale.slice(0, 3).join(', ')}${stale.length > 3 ? ` and ${stale.length - 3} more` : ''}): npm ci…`,
  );
  const npm = process.env.npm_execpath ? [process.execPath, [process.env.npm_execpath]] : ['npm', []];
  const run = spawnSync(npm[0], [...npm[1], 'ci', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) fail('npm ci failed (above). Run it yourself to see why, then start again.');
}

const isExecutable = (path) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The CLI the dev server will use (same order as src/temporal/dev-server.ts), or undefined. */
function findCli() {
  const configured = process.env.TEMPORAL_CLI_PATH;
  if (configured) {
    if (!isExecutable(configured)) fail(`TEMPORAL_CLI_PATH=${configured} is not an executable file.`);
    return configured;
  }
  return [...(process.env.PATH ?? '').split(delimiter).map((d) => join(d, 'temporal')), join(cacheBin, 'temporal')].find(isExecutable);
}

const hasGo = () => spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0;

async function buildCliWithGo() {
  say(`no Temporal CLI found: building it with Go into ${cacheBin} (once; several minutes)…`);
  say(`  GOBIN=${cacheBin} go install ${CLI_MODULE}`);
  const started = Date.now();
  const tick = setInterval(() => say(`  still building the Temporal CLI (${Math.round((Date.now() - started) / 1000)} s)…`), 30_000);
  const code = await new Promise((resolve) => {
    spawn('go', ['install', CLI_MODULE], { stdio: 'inherit', env: { ...process.env, GOBIN: cacheBin } }).on('close', resolve);
  });
  clearInterval(tick);
  if (code !== 0) fail(`go install failed (above).\n${howToProvideCli()}`);
  say(`Temporal CLI built in ${Math.round((Date.now() - started) / 1000)} s: ${join(cacheBin, 'temporal')}`);
}

function howToProvideCli() {
  return [
    'The Temporal dev server needs the `temporal` CLI. Either:',
    '  - point TEMPORAL_CLI_PATH at an existing one:   export TEMPORAL_CLI_PATH=/path/to/temporal',
    '  - put one on your PATH (https://docs.temporal.io/cli#install), or',
    `  - build it with Go:                             GOBIN=${cacheBin} go install ${CLI_MODULE}`,
  ].join('\n');
}

/** The SDK downloads the dev server into the temp directory when it has none: fine if it did already, or can. */
async function sdkCanDownload() {
  if (readdirSync(tmpdir()).some((f) => f.startsWith('temporal-cli-'))) return true;
  const timeout = new Promise((resolve) => setTimeout(() => resolve(false), 3_000).unref());
  return Promise.race([lookup('temporal.download').then(() => true, () => false), timeout]);
}

async function ensureTemporalCli() {
  if (findCli()) return;
  if (hasGo()) return buildCliWithGo();
  if (await sdkCanDownload()) {
    say('no Temporal CLI and no Go: the Temporal SDK downloads the dev server when it first starts.');
    return;
  }
  fail(`No Temporal CLI, no Go, and temporal.download cannot be reached (offline?).\n${howToProvideCli()}`);
}

function fail(message) {
  console.error(`[setup] ${message}`);
  process.exit(1);
}

ensureDependencies();
await ensureTemporalCli();
