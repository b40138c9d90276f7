/** The holder's side of the per-ledger lock: queue, wait for the grant, renew the lease, release. */
import {
  CancellationScope,
  condition,
  getExternalWorkflowHandle,
  proxyLocalActivities,
  setHandler,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { lockGrantedSignal, quotaBlockedSignal, releaseLockSignal, renewLeaseSignal } from './definitions';

const { requestLedgerLock } = proxyLocalActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 ms', maximumInterval: '10 seconds' },
});

const granted = new Map<string, number>();
const blocked = new Set<string>();
let handlersInstalled = false;

function installHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  setHandler(lockGrantedSignal, ({ requestId, leaseMs }) => {
    granted.set(requestId, leaseMs);
    blocked.delete(requestId);
  });
  setHandler(quotaBlockedSignal, ({ requestId }) => {
    if (!granted.has(requestId)) blocked.add(requestId);
  });
}

export interface LockCallbacks {
  onQueued(): Promise<void>;
  onQuotaBlocked(): Promise<void>;
}

export interface HeldLock {
  /** Call before each ledger call: renews the lease once half of it has passed. */
  renew(): Promise<void>;
  /** Marks that the ledger was written to (counts against the monthly quota). */
  posted(): void;
}

/** Runs `critical` while holding the ledger's posting lock; the lock is released whatever happens. */
export async function withLedgerLock<T>(
  ledgerId: string,
  callbacks: LockCallbacks,
  critical: (lock: HeldLock) => Promise<T>,
): Promise<T> {
  installHandlers();
  const requestId = uuid4();
  await callbacks.onQueued();
  const { lockWorkflowId } = await requestLedgerLock({ ledgerId, holderWorkflowId: workflowInfo().workflowId, requestId });
  const ledger = getExternalWorkflowHandle(lockWorkflowId);

  let wrote = false;
  try {
    let toldBlocked = false;
    for (;;) {
      await condition(() => granted.has(requestId) || (blocked.has(requestId) && !toldBlocked));
      if (granted.has(requestId)) break;
      toldBlocked = true;
      await callbacks.onQuotaBlocked();
    }
    const leaseMs = granted.get(requestId)!;
    let renewedAt = Date.now();
    return await critical({
      async renew() {
        if (Date.now() - renewedAt < leaseMs / 2) return;
        renewedAt = Date.now();
        await ledger.signal(renewLeaseSignal, { requestId });
      },
      posted() {
        wrote = true;
      },
    });
  } finally {
    // Also when we never got the lock (cancelled while waiting): the ledger drops us from its queue.
    granted.delete(requestId);
    blocked.delete(requestId);
    await CancellationScope.nonCancellable(() => ledger.signal(releaseLockSignal, { requestId, posted: wrote }));
  }
}
