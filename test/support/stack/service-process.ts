import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { onProcessExit } from './exit-hooks';

/** Peak resident memory of a process (VmHWM), in MiB; 0 when it is gone. */
export function peakRssMiB(pid: number | undefined): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
    return line ? Math.round(Number(line.replace(/\D+/g, '')) / 1024) : 0;
  } catch {
    return 0;
  }
}

const exited = (p: ChildProcess) => new Promise<void>((resolve) => (p.exitCode !== null || p.signalCode !== null ? resolve() : p.once('exit', () => resolve())));

/**
 * One of our entry points (src/main/*.ts) as its own OS process, the way it runs in production, so a test can kill
 * it for real (SIGKILL leaves no chance to clean up) and start it again with the same settings.
 */
export class ServiceProcess {
  private child: ChildProcess;
  private stopping = false;

  constructor(
    private readonly entry: string,
    private readonly baseEnv: NodeJS.ProcessEnv,
    private readonly onUnexpectedExit?: (code: number | null, signal: string | null) => void,
    /** Where its stderr goes (appended across restarts); the caller's stderr when absent. */
    private readonly logFile?: string,
  ) {
    this.child = this.spawn();
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGKILL: the process vanishes mid-whatever, as on an OOM kill or a lost machine. */
  async kill(): Promise<void> {
    this.stopping = true;
    this.child.kill('SIGKILL');
    await exited(this.child);
  }

  /** SIGTERM: the entry point shuts down cleanly. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.running) this.child.kill('SIGTERM');
    await exited(this.child);
  }

  /** Starts it again (after kill or stop) with its own settings, changed by `extraEnv` for this run only. */
  start(extraEnv: Record<string, string> = {}): void {
    if (this.running) throw new Error(`${this.entry} is still running`);
    this.child = this.spawn(extraEnv);
  }

  private spawn(extraEnv: Record<string, string> = {}): ChildProcess {
    this.stopping = false;
    const stderr = this.logFile ? openSync(this.logFile, 'a') : 'inherit';
    const child = spawn(process.execPath, ['--import', 'tsx', this.entry], { env: { ...this.baseEnv, ...extraEnv }, stdio: ['ignore', 'ignore', stderr] });
    if (typeof stderr === 'number') closeSync(stderr);
    const forget = onProcessExit(() => child.kill('SIGKILL'));
    child.once('exit', forget);
    child.once('exit', (code, signal) => {
      if (this.stopping || child !== this.child) return;
      this.onUnexpectedExit?.(code, signal);
    });
    return child;
  }
}
