import { ConfigError } from '../config';

/** What an entry point started, to be stopped in reverse order: the last started stops first. */
export class Stopping {
  private readonly steps: { name: string; stop: () => Promise<unknown> }[] = [];

  add(name: string, stop: () => Promise<unknown>) {
    this.steps.push({ name, stop });
  }

  /** Runs every step, the last added first; a step that fails is reported and the rest still run. */
  async run(): Promise<boolean> {
    let clean = true;
    for (const { name, stop } of this.steps.splice(0).reverse()) {
      try {
        await stop();
        console.log(`  stopped: ${name}`);
      } catch (err) {
        clean = false;
        console.error(`  could not stop ${name} cleanly:`, err);
      }
    }
    return clean;
  }
}

/**
 * Entry points share this: configuration errors print plainly and exit 1; SIGINT and SIGTERM stop what `main` started
 * in order, also when they arrive while it is still starting. Further signals while stopping only say so (a third
 * one gives up waiting and exits).
 */
export function runMain(main: (stopping: Stopping) => Promise<void | (() => Promise<void>)>) {
  const stopping = new Stopping();
  let started: Promise<unknown> = Promise.resolve();
  let signals = 0;
  let firstAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    // Ctrl-C reaches us twice: from the terminal, and forwarded by npm. One stop is meant.
    if (signals === 1 && Date.now() - firstAt < 1_000) return;
    signals++;
    if (signals === 1) firstAt = Date.now();
    if (signals === 1) {
      console.log(`\n${signal}: stopping in order…`);
      void started.then(() => stopping.run()).then((clean) => process.exit(clean ? 0 : 1));
    } else if (signals === 2) {
      console.log('Still stopping: the worker finishes the steps it is running. Signal once more to exit at once.');
    } else {
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  started = main(stopping)
    .then((stop) => {
      if (stop) stopping.add('service', stop);
    })
    .catch(async (err) => {
      if (err instanceof ConfigError) console.error(err.message);
      else console.error(err);
      await stopping.run();
      process.exit(1);
    });
}
