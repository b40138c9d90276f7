import { spawn, type ChildProcess } from 'node:child_process';
import { devServerArgs, exited, untilAnswers } from '../../../src/temporal/cli-server';
import { findTemporalCli } from '../../../src/temporal/dev-server';
import { onProcessExit } from './exit-hooks';

export interface RestartableTemporal {
  address: string;
  /** SIGKILL (a crash) or SIGTERM; the state stays in the SQLite file. */
  stop(signal?: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  /** Starts it again on the same port and file; resolves when it answers. */
  start(): Promise<void>;
  teardown(): Promise<void>;
}

/**
 * A Temporal dev server run straight from the CLI (not the SDK's ephemeral server, which waits only 5 s for a start
 * and cannot be restarted on its port), persisting to `dbFilename` (`--db-filename`), so it can be killed and
 * started again on the same port with its workflows intact: what a restart of a real Temporal cluster looks like.
 */
export async function startRestartableTemporal(opts: { dbFilename: string; port: number; startTimeoutMs?: number }): Promise<RestartableTemporal> {
  const cli = findTemporalCli(process.env.TEMPORAL_CLI_PATH);
  if (!cli) throw new Error('no temporal CLI found (PATH or ~/.cache/ledgerbridge/bin); .ci/run builds one');
  const address = `127.0.0.1:${opts.port}`;
  const args = devServerArgs({ port: opts.port, dbFilename: opts.dbFilename });
  let child: ChildProcess | undefined;

  const server: RestartableTemporal = {
    address,
    async start() {
      if (child && child.exitCode === null && child.signalCode === null) throw new Error('Temporal is already running');
      const started = spawn(cli, args, { stdio: ['ignore', 'ignore', 'inherit'] });
      child = started;
      started.once('exit', onProcessExit(() => started.kill('SIGKILL')));
      await untilAnswers(started, address, opts.startTimeoutMs ?? 60_000);
    },
    async stop(signal = 'SIGKILL') {
      const c = child;
      if (!c) return;
      const gone = exited(c);
      c.kill(signal);
      await gone;
    },
    teardown: () => server.stop('SIGKILL'),
  };
  await server.start();
  return server;
}
