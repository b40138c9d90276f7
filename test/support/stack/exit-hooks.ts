/**
 * Synchronous last-resort clean-up when the test process itself is stopped (Ctrl-C, a killed vitest): child
 * processes and a private PostgreSQL cluster would otherwise outlive it. Normal runs clean up in their own teardown.
 */
const hooks = new Set<() => void>();
let installed = false;

export function onProcessExit(hook: () => void): () => void {
  if (!installed) {
    installed = true;
    const runAll = () => {
      for (const h of hooks) {
        try {
          h();
        } catch {
          // best effort: the process is going away
        }
      }
      hooks.clear();
    };
    process.once('exit', runAll);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        runAll();
        // Die of the signal as if nobody had listened.
        process.kill(process.pid, signal);
      });
    }
  }
  hooks.add(hook);
  return () => hooks.delete(hook);
}
