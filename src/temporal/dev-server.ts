import { accessSync, constants, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { fairnessDynamicConfig } from './fairness';
import { searchAttributes } from './search-attributes';

/** Where .ci/run caches the CLI it builds; also where a developer may drop one. */
export const cachedCliPath = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'ledgerbridge', 'bin', 'temporal');

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** An existing `temporal` CLI: the configured path, then PATH, then the project's cache; undefined if none. */
export function findTemporalCli(configured?: string): string | undefined {
  if (configured) {
    if (!isExecutable(configured)) throw new Error(`TEMPORAL_CLI_PATH=${configured} is not an executable file`);
    return configured;
  }
  const onPath = (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'temporal'));
  return [...onPath, cachedCliPath].find(isExecutable);
}

/** What to do when there is no CLI and the SDK cannot download one (offline); scripts/ensure-setup.mjs says the same. */
export const noCliHint = [
  'The Temporal dev server needs the `temporal` CLI, none was found, and the Temporal SDK could not download one. Either:',
  '  - point TEMPORAL_CLI_PATH at an existing one:   export TEMPORAL_CLI_PATH=/path/to/temporal',
  '  - put one on your PATH (https://docs.temporal.io/cli#install), or',
  `  - build it with Go:                             GOBIN=${dirname(cachedCliPath)} go install github.com/temporalio/cli/cmd/temporal@v1.5.1`,
].join('\n');

export interface DevServerOptions {
  /** SQLite file so workflows survive a restart; omit for an in-memory server (tests). */
  dbFilename?: string;
  port?: number;
  uiPort?: number;
  cliPath?: string;
}

/**
 * The SDK's ephemeral Temporal dev server with our search attributes registered. Uses an existing CLI when one is
 * found (this machine builds it from source), else lets the SDK download it (any machine with internet).
 */
export async function startDevServer(opts: DevServerOptions = {}): Promise<TestWorkflowEnvironment> {
  const cli = findTemporalCli(opts.cliPath);
  if (opts.dbFilename) mkdirSync(resolve(opts.dbFilename, '..'), { recursive: true });
  const start = () =>
    TestWorkflowEnvironment.createLocal({
      server: {
        executable: cli ? { type: 'existing-path', path: cli } : { type: 'cached-download' },
        dbFilename: opts.dbFilename,
        port: opts.port,
        ui: opts.uiPort !== undefined,
        uiPort: opts.uiPort,
        searchAttributes,
        log: { format: 'json', level: 'error' },
        extraArgs: fairnessDynamicConfig,
      },
    });
  // The SDK gives the server 5 s to answer; a busy machine with a cold binary can miss that once.
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (err) {
      if (!cli && !/did not start within/.test(String(err))) throw new Error(`${noCliHint}\n(the SDK's download failed: ${String(err)})`, { cause: err });
      if (attempt >= 3 || !/did not start within/.test(String(err))) throw err;
      console.warn(`The Temporal dev server did not start in time (attempt ${attempt} of 3); trying again.`);
    }
  }
}
