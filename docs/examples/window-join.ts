// A window join: pairs of records from two streams with equal keys in the same window,
// emitted when the window fires (Flink's DataStream.join). Here, ad impressions and clicks
// on the same ad in the same minute.
import { minutes, type Pipeline, seconds, testStream, tumblingWindows } from 'brook';

interface Impression {
  ad: string;
  page: string;
}
interface Click {
  ad: string;
  user: string;
}

const impressions = testStream<Impression>()
  .addElements(
    { value: { ad: 'ad-1', page: '/home' }, timestamp: seconds(10) },
    { value: { ad: 'ad-2', page: '/news' }, timestamp: seconds(20) },
    { value: { ad: 'ad-1', page: '/sport' }, timestamp: seconds(70) },
  )
  .advanceWatermarkToInfinity();

const clicks = testStream<Click>()
  .addElements(
    { value: { ad: 'ad-1', user: 'ana' }, timestamp: seconds(15) },
    { value: { ad: 'ad-1', user: 'ben' }, timestamp: seconds(50) },
    { value: { ad: 'ad-2', user: 'cem' }, timestamp: seconds(65) },
  )
  .advanceWatermarkToInfinity();

export default (p: Pipeline) => {
  p.testStream(impressions, { name: 'impressions' })
    .join(p.testStream(clicks, { name: 'clicks' }))
    .where((impression) => impression.ad)
    .equalTo((click) => click.ad)
    .window(tumblingWindows(minutes(1)))
    .apply((impression, click) => `${click.user} clicked ${impression.ad} seen on ${impression.page}`)
    .sink('clicked-impressions');
};
