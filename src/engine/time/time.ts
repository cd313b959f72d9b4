// Time units of the engine. Event time and processing time are branded so they never mix by
// accident; durations are plain milliseconds. Watermark conventions follow Apache Flink:
// a watermark W asserts that no record with timestamp <= W is still to come.

/** A point in event time: when something happened, in milliseconds since the epoch. */
export type EventTime = number & { readonly __unit: 'EventTime' };
/** A point in processing time: the engine's virtual wall clock, in milliseconds. */
export type ProcessingTime = number & { readonly __unit: 'ProcessingTime' };
/** A length of time in milliseconds. */
export type Duration = number;

/** Marks a number as an event time. */
export const eventTime = (ms: number): EventTime => ms as EventTime;
/** Marks a number as a processing time. */
export const processingTime = (ms: number): ProcessingTime => ms as ProcessingTime;

/** The watermark before anything is known (Flink's Long.MIN_VALUE). */
export const MIN_WATERMARK = eventTime(Number.NEGATIVE_INFINITY);
/** The watermark at the end of a bounded input: every event-time timer fires. */
export const MAX_WATERMARK = eventTime(Number.POSITIVE_INFINITY);

/** `n` milliseconds. */
export const millis = (n: number): Duration => n;
/** `n` seconds, in milliseconds. */
export const seconds = (n: number): Duration => n * 1000;
/** `n` minutes, in milliseconds. */
export const minutes = (n: number): Duration => n * 60_000;
/** `n` hours, in milliseconds. */
export const hours = (n: number): Duration => n * 3_600_000;
/** `n` days, in milliseconds. */
export const days = (n: number): Duration => n * 86_400_000;

/** Renders a time for messages: finite times as numbers, the ends of time as words. */
export function formatTime(t: number): string {
  if (t === Number.POSITIVE_INFINITY) return '+inf';
  if (t === Number.NEGATIVE_INFINITY) return '-inf';
  return String(t);
}
