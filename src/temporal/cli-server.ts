import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Connection } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { fairnessDynamicConfig } from './fairness';
import { searchAttributes } from './search-attributes';

const typeNames: Partial<Record<SearchAttributeType, string>> = {
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.TEXT]: 'Text',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.DOUBLE]: 'Double',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
};

export interface CliServerOptions {
  port: number;
  /** SQLite file, so workflows survive a restart. */
  dbFilename: string;
  /** The Web UI's port; no UI without it. */
  uiPort?: number;
}

/** `temporal server start-dev` with our search attributes registered. */
export function devServerArgs(opts: CliServerOptions): string[] {
  return [
    'server', 'start-dev', '--ip', '127.0.0.1', '--port', String(opts.port), '--db-filename', opts.dbFilename,
    ...(opts.uiPort === undefined ? ['--headless'] : ['--ui-port', String(opts.uiPort)]),
    '--log-level', 'error',
    ...fairnessDynamicConfig,
    ...searchAttributes.flatMap((a) => ['--search-attribute', `${a.name}=${typeNames[a.type]}`]),
  ];
}

/** True when a Temporal frontend answers at `address`. */
export async function temporalAnswers(address: string): Promise<boolean> {
  try {
    const c = await Connection.connect({ address, connectTimeout: 1_000 });
    await c.workflowService.getSystemInfo({});
    await c.close();
    return true;
  } catch {
    return false;
  }
}

/** Resolves when the process has exited: at once if it already has. */
export const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

/** Waits until Temporal answers at `address`; fails when the process exits first or the time is up. */
export async function untilAnswers(child: ChildProcess, address: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await temporalAnswers(address))) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`temporal server start-dev exited (${child.exitCode ?? child.signalCode}) before it answered on ${address}`);
    if (Date.now() > deadline) throw new Error(`Temporal did not answer on ${address} within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export interface CliServer {
  address: string;
  /** SIGTERM, then SIGKILL if it has not stopped within `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * The dev server for `npm run dev`, run straight from the CLI in a process group of its own: Ctrl-C in the terminal
 * signals the whole foreground group, and the server must outlive the worker's drain, so only we stop it, last but
 * the database. If we exit without stopping it (an uncaught error), it is killed on the way out.
 */
export async function startCliServer(cli: string, opts: CliServerOptions & { startTimeoutMs?: number }): Promise<CliServer> {
  mkdirSync(dirname(opts.dbFilename), { recursive: true });
  const address = `127.0.0.1:${opts.port}`;
  if (await temporalAnswers(address)) {
    throw new Error(`Something already answers as Temporal on ${address}: a dev server left from an earlier run? Stop it, or set TEMPORAL_ADDRESS to another port.`);
  }
  const child = spawn(cli, devServerArgs(opts), { stdio: ['ignore', 'ignore', 'inherit'], detached: true });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  await untilAnswers(child, address, opts.startTimeoutMs ?? 60_000);
  return {
    address,
    async stop(graceMs = 10_000) {
      process.removeListener('exit', killOnExit);
      const gone = exited(child);
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await gone;
      clearTimeout(timer);
    },
  };
}
