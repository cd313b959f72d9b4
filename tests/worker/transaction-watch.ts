// Test helper: watches every IndexedDB transaction opened from now on (fake-indexeddb's or the
// global one), so a test can see whether a store left one unfinished (a hung checkpoint stream,
// a session reported closed before its writes committed).

/** Counts the transactions opened since the call that have not completed, aborted or failed; `stop()` unwatches. */
export function watchTransactions(): { readonly open: () => number; readonly stop: () => void } {
  const unfinished = new Set<IDBTransaction>();
  const proto = IDBDatabase.prototype as unknown as { transaction: (...args: unknown[]) => IDBTransaction };
  const transaction = proto.transaction;
  proto.transaction = function (this: IDBDatabase, ...args: unknown[]) {
    const tx = transaction.apply(this, args);
    unfinished.add(tx);
    for (const end of ['complete', 'abort', 'error'] as const) tx.addEventListener(end, () => unfinished.delete(tx));
    return tx;
  };
  return { open: () => unfinished.size, stop: () => void (proto.transaction = transaction) };
}
