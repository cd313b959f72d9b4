// #region setup
import { afterCount, afterProcessingTime, afterWatermark, boundedOutOfOrderness, minutes, type Pipeline, rideEvents, seconds, tumblingWindows } from 'brook';

// Twenty minutes of ride requests and available drivers in 8 geohash cells; a concert lets
// out at 0:08:00 and requests jump for four minutes. Events arrive about 1.5 s after they
// happen; one in 200 straggles in two minutes late.
const rides = rideEvents({ cells: 8, perSecond: 3, duration: minutes(20), spike: { at: minutes(8), length: minutes(4), perSecond: 30 } });
// #endregion

export default (p: Pipeline) => {
  p.generator(rides, { name: 'rides', watermarks: boundedOutOfOrderness(seconds(5)) })
    .filter((event) => event.type === 'request')
    .keyBy((event) => event.geohash)
    .window(tumblingWindows(minutes(5)))
    .trigger(
      afterWatermark()
        .withEarlyFirings(afterProcessingTime().plusDelayOf(seconds(30)))
        .withLateFirings(afterCount(1)),
    )
    .allowedLateness(minutes(5))
    .count()
    .sink('demand');
};
