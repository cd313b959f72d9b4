// One tab per job: the page holds a Web Lock named after the job for as long as it runs it, so
// two tabs never write the same job's checkpoints and sink output at once. Invariant: a lock
// that was not granted at once is refused (never queued), with a message saying why.

/** A held job lock. */
export interface JobLock {
  release(): void;
}

/** The lock's name for a job (also what other tabs request). */
export function jobLockName(jobId: string): string {
  return `brook-job-${jobId}`;
}

/**
 * Takes the job's lock if no other tab holds it; null when one does. Without the Web Locks API
 * (an old browser) the job runs unguarded.
 * @example
 * const lock = await acquireJobLock('sessions');
 * if (!lock) throw new Error('open in another tab');
 */
export function acquireJobLock(jobId: string, locks: LockManager | undefined = globalThis.navigator?.locks): Promise<JobLock | null> {
  if (!locks) return Promise.resolve({ release: () => {} });
  return new Promise((resolve, reject) => {
    locks
      .request(jobLockName(jobId), { ifAvailable: true }, (lock) => {
        if (!lock) {
          resolve(null);
          return undefined;
        }
        // The lock is held until this promise settles.
        return new Promise<void>((release) => resolve({ release: () => release() }));
      })
      .catch(reject);
  });
}
