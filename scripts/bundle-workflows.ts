// npm run build:workflows [-- <file>]: bundles the workflows (webpack) into a file a worker loads (src/temporal/workflow-bundle.ts),
// dist/workflow-bundle.js by default. The Dockerfile runs it at image build; a worker started without it (or after an
// edit) runs this in a child process of its own.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { defaultBundlePath, workflowsPath } from '../src/temporal/workflow-bundle';

const out = resolve(process.argv[2] ?? defaultBundlePath);
const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error };
const { code } = await bundleWorkflowCode({ workflowsPath, logger: quiet });
mkdirSync(dirname(out), { recursive: true });
// Written aside and renamed, so that a worker starting meanwhile reads the old bundle or the new one, never half.
writeFileSync(`${out}.${process.pid}.tmp`, code);
renameSync(`${out}.${process.pid}.tmp`, out);
