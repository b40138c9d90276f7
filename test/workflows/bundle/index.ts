// The workflow tier's bundle: the real workflows, and a probe that plays their counterparts.
export * from '../../../workflows';
export { probeWorkflow } from './probes';
