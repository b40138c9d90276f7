import { spawn, type ChildProcess } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { findTemporalCli } from '../../../src/temporal/dev-server';
import { searchAttributes } from '../../../src/temporal/search-attributes';
import { onProcessExit } from './exit-hooks';

const typeNames: Partial<Record<SearchAttributeType, string>> = {
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.TEXT]: 'Text',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.DOUBLE]: 'Double',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
};

export interface RestartableTemporal {
  address: string;
  /** SIGKILL (a crash) or SIGTERM; the state stays in the SQLite file. */
  stop(signal?: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  /** Starts it again on the same port and file; resolves when it answers. */
  start(): Promise<void>;
  teardown(): Promise<void>;
}

async function answers(address: string): Promise<boolean> {
  try {
    const c = await Connection.connect({ address, connectTimeout: 1_000 });
    await c.workflowService.getSystemInfo({});
    await c.close();
    return true;
  } catch {
    return false;
  }
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
  const args = [
    'server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(opts.port), '--db-filename', opts.dbFilename,
    '--log-level', 'error',
    ...searchAttributes.flatMap((a) => ['--search-attribute', `${a.name}=${typeNames[a.type]}`]),
  ];
  let child: ChildProcess | undefined;

  const server: RestartableTemporal = {
    address,
    async start() {
      if (child && child.exitCode === null && child.signalCode === null) throw new Error('Temporal is already running');
      const started = spawn(cli, args, { stdio: ['ignore', 'ignore', 'inherit'] });
      child = started;
      started.once('exit', onProcessExit(() => started.kill('SIGKILL')));
      const deadline = Date.now() + (opts.startTimeoutMs ?? 60_000);
      while (!(await answers(address))) {
        if (started.exitCode !== null) throw new Error(`temporal server start-dev exited with ${child.exitCode}`);
        if (Date.now() > deadline) throw new Error(`Temporal did not answer on ${address}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    },
    async stop(signal = 'SIGKILL') {
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        c.once('exit', () => resolve());
        c.kill(signal);
      });
    },
    teardown: () => server.stop('SIGKILL'),
  };
  await server.start();
  return server;
}
