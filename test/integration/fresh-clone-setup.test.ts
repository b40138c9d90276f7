import { spawnSync } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * scripts/ensure-setup.mjs, which `npm run dev` and `npm test` run first (predev, pretest), on a fresh clone: a
 * project with one dependency (a local tarball, so npm needs no network), no node_modules, and a home without a
 * Temporal CLI. Only Node and npm are on PATH, plus a stand-in `go` where a test says so (building the real CLI takes
 * minutes; the stand-in records the command and leaves an executable where `go install` would).
 */
const script = new URL('../../scripts/ensure-setup.mjs', import.meta.url).pathname;
const CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';
let dir: string;

const nodeBin = dirname(process.execPath);
const npmCli = spawnSync('npm', ['prefix', '-g'], { encoding: 'utf8' }).stdout.trim();

function freshClone(name: string) {
  const clone = join(dir, name);
  mkdirSync(join(clone, 'scripts'), { recursive: true });
  mkdirSync(join(clone, 'dep'));
  copyFileSync(script, join(clone, 'scripts', 'ensure-setup.mjs'));
  writeFileSync(join(clone, 'dep', 'package.json'), JSON.stringify({ name: 'dep', version: '1.0.0' }));
  const npm = (args: string[], cwd: string) => expect(spawnSync('npm', args, { cwd, encoding: 'utf8' }).status).toBe(0);
  npm(['pack', '--silent', '--pack-destination', clone], join(clone, 'dep'));
  writeFileSync(join(clone, 'package.json'), JSON.stringify({ name: 'clone', version: '1.0.0', private: true, dependencies: { dep: 'file:./dep-1.0.0.tgz' } }));
  npm(['install', '--package-lock-only', '--no-audit', '--no-fund'], clone);
  return clone;
}

/** Runs the script as npm would, with a home, temp dir and PATH of our choosing. */
function setup(clone: string, env: Record<string, string> = {}) {
  const home = join(clone, 'home');
  const tmp = join(clone, 'tmp');
  mkdirSync(tmp, { recursive: true });
  const run = spawnSync(process.execPath, [join(clone, 'scripts', 'ensure-setup.mjs')], {
    cwd: clone,
    encoding: 'utf8',
    env: { PATH: [join(clone, 'bin'), nodeBin, join(npmCli, 'bin')].join(':'), HOME: home, XDG_CACHE_HOME: join(home, '.cache'), TMPDIR: tmp, ...env },
  });
  return { code: run.status, out: run.stdout + run.stderr, cli: join(home, '.cache', 'ledgerbridge', 'bin', 'temporal') };
}

/** A stand-in `go` on the clone's PATH: records its arguments and GOBIN, and leaves an executable `temporal`. */
function standInGo(clone: string) {
  mkdirSync(join(clone, 'bin'), { recursive: true });
  const go = join(clone, 'bin', 'go');
  writeFileSync(go, `#!/bin/sh\necho "$@" "GOBIN=$GOBIN" >> "${join(clone, 'go.log')}"\n[ "$1" = version ] && exit 0\nmkdir -p "$GOBIN" && printf '#!/bin/sh\\n' > "$GOBIN/temporal" && chmod +x "$GOBIN/temporal"\n`);
  chmodSync(go, 0o755);
  return () => readFileSync(join(clone, 'go.log'), 'utf8');
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ledgerbridge-fresh-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a fresh clone set up by npm run dev / npm test', () => {
  it('installs the dependencies and builds the Temporal CLI with Go, with progress; the next run does nothing', () => {
    const clone = freshClone('with-go');
    const goLog = standInGo(clone);
    const first = setup(clone);
    expect(first.code, first.out).toBe(0);
    expect(first.out).toContain('installing dependencies (npm ci');
    expect(existsSync(join(clone, 'node_modules', 'dep', 'package.json'))).toBe(true);
    expect(first.out).toContain(`go install ${CLI_MODULE}`);
    expect(goLog()).toContain(`install ${CLI_MODULE} GOBIN=${dirname(first.cli)}`);
    expect(existsSync(first.cli)).toBe(true);

    const again = setup(clone);
    expect(again).toMatchObject({ code: 0, out: '' });
  }, 120_000);

  it('installs again when node_modules no longer matches package-lock.json', () => {
    const clone = freshClone('stale');
    const cli = join(clone, 'bin', 'temporal');
    mkdirSync(dirname(cli), { recursive: true });
    writeFileSync(cli, '#!/bin/sh\n');
    chmodSync(cli, 0o755);
    expect(setup(clone).code).toBe(0);
    const installed = join(clone, 'node_modules', '.package-lock.json');
    const record = JSON.parse(readFileSync(installed, 'utf8'));
    record.packages['node_modules/dep'].version = '0.9.0';
    writeFileSync(installed, JSON.stringify(record));
    const run = setup(clone);
    expect(run.out).toContain('dependencies differ from package-lock.json (node_modules/dep)');
    expect(setup(clone)).toMatchObject({ code: 0, out: '' });
  }, 120_000);

  it('without a CLI and without Go says exactly what to do when the SDK cannot download one', async () => {
    const clone = freshClone('no-go');
    const run = setup(clone);
    const online = await lookup('temporal.download').then(() => true, () => false);
    if (online) {
      expect(run.code, run.out).toBe(0);
      expect(run.out).toContain('the Temporal SDK downloads the dev server');
    } else {
      expect(run.code, run.out).toBe(1);
      expect(run.out).toContain('TEMPORAL_CLI_PATH');
      expect(run.out).toContain(`go install ${CLI_MODULE}`);
    }
    // A TEMPORAL_CLI_PATH that is no executable is named, too.
    const wrong = setup(clone, { TEMPORAL_CLI_PATH: join(clone, 'nothing-here') });
    expect(wrong.code).toBe(1);
    expect(wrong.out).toContain(`TEMPORAL_CLI_PATH=${join(clone, 'nothing-here')} is not an executable file`);
  }, 120_000);
});
