// The workflow bundle: everything the worker runs deterministically.
export { orderWorkflow } from './order';
export { refundWorkflow } from './refund';
export { ledgerWorkflow } from './ledger';
export { graduationWorkflow } from './graduation';
export { payoutWorkflow } from './payout';
export { fetchPayoutsWorkflow } from './fetch-payouts';
export { settlementUploadWorkflow } from './settlement-upload';
export { backfillWorkflow } from './backfill';
export { fetchChannelRefundWorkflow } from './fetch-channel-refund';
export { pollDandomainWorkflow } from './poll-dandomain';
