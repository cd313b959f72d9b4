// GPS pings from runners' trackers: one tracker per partition, a ping every few seconds with
// position and pace. Trackers go silent for a while: some hold their pings and upload them
// when the signal returns (a burst of late data), others lose them (a gap in the session).

import { minutes, seconds, type Duration } from '../../../time/time.ts';
import type { GeneratorSpec, IdleInterval } from '../spec.ts';
import { between, indexOf, padded, round, unit } from './common.ts';

/** One GPS ping. */
export interface RunnerPing {
  runner: string;
  lat: number;
  lon: number;
  /** Seconds per kilometre at the moment of the ping. */
  paceSecPerKm: number;
  /** Distance run since the start, in km. */
  distanceKm: number;
}

/** A tracker going silent, as offsets from the start; `buffered` ones upload the pings afterwards. */
export interface Silence {
  runner: number;
  from: Duration;
  length: Duration;
  buffered: boolean;
}

/** Options of `runnerPings`; every field has a default. */
export interface RunnerPingOptions {
  /** How many runners, each with its own tracker (partition). Default 6. */
  runners?: number;
  /** Time between two pings of one tracker. Default 5 s. */
  every?: Duration;
  start?: number;
  /** Default 30 minutes. */
  duration?: Duration;
  /** Default: runner 2 silent 3 minutes from minute 8 (buffered), runner 4 silent 2 minutes from minute 15 (lost). */
  silences?: Silence[];
  /** Centre of the 5 km loop. Default Berlin's Tiergarten. */
  origin?: { lat: number; lon: number };
}

const LOOP_KM = 5;
const KM_PER_DEGREE = 111.32;

/**
 * GPS pings of runners on a loop, with silent trackers: for session windows and late data.
 * @example
 * const spec = runnerPings({ runners: 3, silences: [{ runner: 0, from: minutes(5), length: minutes(1), buffered: true }] });
 */
export function runnerPings(options: RunnerPingOptions = {}): GeneratorSpec<RunnerPing> {
  const runners = options.runners ?? 6;
  const every = options.every ?? seconds(5);
  const start = options.start ?? 0;
  const origin = options.origin ?? { lat: 52.5145, lon: 13.3501 };
  const silences = options.silences ?? [
    { runner: 2, from: minutes(8), length: minutes(3), buffered: true },
    { runner: 4, from: minutes(15), length: minutes(2), buffered: false },
  ];
  const idleOf = (r: number): IdleInterval[] =>
    silences.filter((s) => s.runner === r).map((s) => ({ from: start + s.from, to: start + s.from + s.length, buffer: s.buffered }));
  const radiusKm = LOOP_KM / (2 * Math.PI);
  return {
    partitions: Array.from({ length: runners }, (_, r) => ({ idle: idleOf(r) })),
    rate: { kind: 'steady', perSecond: runners / (every / seconds(1)) },
    start,
    duration: options.duration ?? minutes(30),
    keys: { count: runners, skew: 'roundRobin', name: (i) => padded('runner-', i, 2) },
    delay: { kind: 'uniform', min: 100, max: 1500 },
    value: (g) => {
      const r = indexOf(g.key);
      const basePace = 270 + 90 * unit(r, 3); // 4:30 to 6:00 per km
      const elapsed = Math.max(0, g.eventTime - start) / 1000;
      const distanceKm = elapsed / basePace;
      // Runners start at different points of the loop and run it anticlockwise.
      const angle = (distanceKm / LOOP_KM) * 2 * Math.PI + 2 * Math.PI * unit(r, 4);
      const noiseKm = 0.005; // GPS jitter of a few metres
      const lat = origin.lat + (radiusKm * Math.cos(angle) + between(g.random, -noiseKm, noiseKm)) / KM_PER_DEGREE;
      const lon =
        origin.lon + (radiusKm * Math.sin(angle) + between(g.random, -noiseKm, noiseKm)) / (KM_PER_DEGREE * Math.cos((origin.lat * Math.PI) / 180));
      const pace = basePace * (1 + 0.05 * Math.sin(elapsed / 120 + r)) + between(g.random, -5, 5);
      return { runner: String(g.key), lat: round(lat, 6), lon: round(lon, 6), paceSecPerKm: Math.round(pace), distanceKm: round(distanceKm, 3) };
    },
  };
}
