import { ConfigError } from '../config';

/** Entry points share this: configuration errors print plainly and exit 1; Ctrl-C stops cleanly. */
export function runMain(main: () => Promise<() => Promise<void>>) {
  main()
    .then((stop) => {
      let stopping = false;
      const shutdown = async () => {
        if (stopping) return;
        stopping = true;
        console.log('\nStopping…');
        await stop();
        process.exit(0);
      };
      process.on('SIGINT', shutdown);
      process.on('SIGTERM', shutdown);
    })
    .catch((err) => {
      if (err instanceof ConfigError) console.error(err.message);
      else console.error(err);
      process.exit(1);
    });
}
