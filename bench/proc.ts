/** What /proc says about one of the stack's processes: its memory and the CPU it used so far. */
import { readFileSync } from 'node:fs';

/** VmRSS (resident now) and VmHWM (peak resident) in MiB, from /proc/<pid>/status; 0 when the process is gone. */
export function memoryMiB(pid: number | undefined): { rss: number; hwm: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (key: string) => Number(/(\d+) kB/.exec(status.split('\n').find((l) => l.startsWith(`${key}:`)) ?? '')?.[1] ?? 0);
    return { rss: kib('VmRSS') / 1024, hwm: kib('VmHWM') / 1024 };
  } catch {
    return { rss: 0, hwm: 0 };
  }
}

/** User + system CPU the process used since it started, in ms (/proc/<pid>/stat, in clock ticks of 10 ms). */
export function cpuMs(pid: number | undefined): number {
  try {
    // The fields after the command name (which may hold spaces) in brackets: utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/** Waits until the process used under 5 % of a core over the last 5 s (at most `limitMs`): started, or done. */
export async function quiet(pid: number | undefined, limitMs: number): Promise<void> {
  const until = Date.now() + limitMs;
  const samples = [{ at: Date.now(), cpu: cpuMs(pid) }];
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    samples.push({ at: Date.now(), cpu: cpuMs(pid) });
    const from = samples.find((s) => s.at >= Date.now() - 5_500)!;
    const span = samples.at(-1)!.at - from.at;
    if (span >= 4_500 && samples.at(-1)!.cpu - from.cpu < 0.05 * span) return;
    if (Date.now() > until) {
      console.log(`  process ${pid} was still busy after ${limitMs} ms; measuring anyway`);
      return;
    }
  }
}
