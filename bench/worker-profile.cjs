/* global require, process, setInterval */
/* eslint-disable @typescript-eslint/no-require-imports -- a --require preload is CommonJS */
// Preload for the worker when profiling the bench: BENCH_WORKER_NODE_OPTIONS="--require ./bench/worker-profile.cjs"
// (Node 20 refuses --cpu-prof in NODE_OPTIONS). Samples each JS thread of the process with the inspector: the main
// one (activities, the SDK's activation plumbing, the database driver) and the workflow thread (worker_threads, where
// the SDK runs workflow code in its V8 context). Each thread writes a slice every 10 s, and the rest at exit, to
// $PROF_DIR/worker-<pid>-t<threadId>-<n>.cpuprofile (open in Chrome DevTools or speedscope). No signal is used: the
// Temporal SDK shuts the worker down on SIGUSR2. Sampling every PROF_INTERVAL_US (1000) µs costs about 2 % of a core.
const inspector = require('node:inspector');
const fs = require('node:fs');
const { threadId } = require('node:worker_threads');

const dir = process.env.PROF_DIR || '/tmp';
const session = new inspector.Session();
session.connect();
let slice = 0;
const start = () => {
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: Number(process.env.PROF_INTERVAL_US || 1000) });
  session.post('Profiler.start');
};
const dump = () => {
  session.post('Profiler.stop', (err, res) => {
    if (!err) fs.writeFileSync(`${dir}/worker-${process.pid}-t${threadId}-${slice++}.cpuprofile`, JSON.stringify(res.profile));
  });
};
start();
setInterval(() => {
  dump();
  start();
}, 10_000).unref();
process.on('exit', dump);
