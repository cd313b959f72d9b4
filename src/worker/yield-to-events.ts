// Gives the event loop a turn from a long-running loop, so control calls (pause, ping) and
// outgoing deltas get through while the engine runs flat out. A MessageChannel message is a
// task that is not clamped the way nested setTimeout(0) is (to 4 ms after five levels).
// Invariant: resolves after at least one other queued task could run, never synchronously.

let channel: MessageChannel | undefined;
const waiting: (() => void)[] = [];

/** Resolves on a fresh task (one MessageChannel round trip). */
export function yieldToEvents(): Promise<void> {
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => waiting.shift()?.();
    // Node keeps the process alive while a port is referenced; a yield must not.
    (channel.port1 as { unref?: () => void }).unref?.();
  }
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel!.port2.postMessage(null);
  });
}

/** Resolves after `ms` of wall time (a frame's wait while playing slower than the engine). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
