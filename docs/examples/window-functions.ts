// The five window functions over the same windows: reduce, aggregate, sum and count fold each
// element in as it arrives (one accumulator per window); process sees all elements at once.
import { type AggregateFunction, type Pipeline, seconds, testStream, tumblingWindows } from 'brook';

interface Trip {
  driver: string;
  km: number;
}

const trips = testStream<Trip>()
  .addElements(
    { value: { driver: 'kim', km: 4 }, timestamp: seconds(10) },
    { value: { driver: 'kim', km: 10 }, timestamp: seconds(20) },
    { value: { driver: 'kim', km: 1 }, timestamp: seconds(30) },
  )
  .advanceWatermarkToInfinity();

/** The mean distance: the accumulator is [sum, count]. */
const meanKm: AggregateFunction<Trip, [number, number], number> = {
  createAccumulator: () => [0, 0],
  add: (trip, [sum, n]) => [sum + trip.km, n + 1],
  getResult: ([sum, n]) => sum / n,
  merge: ([s1, n1], [s2, n2]) => [s1 + s2, n1 + n2],
};

export default (p: Pipeline) => {
  const windowed = p
    .input<Trip>({ name: 'trips', default: trips })
    .keyBy((trip) => trip.driver)
    .window(tumblingWindows(seconds(60)));

  windowed.reduce((a, b) => (a.km >= b.km ? a : b)).sink('longest');
  windowed.aggregate(meanKm).sink('mean-km');
  windowed.sum((trip) => trip.km).sink('total-km');
  windowed.count().sink('trips');
  windowed
    .process<string>((driver, elements, ctx) => {
      const kms = elements.map((trip) => trip.km).join(' + ');
      ctx.output(`${driver} drove ${kms} km in [${ctx.window.start}, ${ctx.window.end})`);
    })
    .sink('described');
};
