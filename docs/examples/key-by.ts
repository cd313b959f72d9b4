// keyBy partitions a stream by key. With a selector the key comes from the record; with no
// selector, from the key the record already carries (a TestStream element's "key").
import { type Pipeline, seconds, testStream } from 'brook';

interface Purchase {
  user: string;
  cents: number;
}

const purchases = testStream<Purchase>()
  .addElements(
    { value: { user: 'ana', cents: 300 }, timestamp: seconds(1), key: 'web' },
    { value: { user: 'ben', cents: 500 }, timestamp: seconds(2), key: 'app' },
    { value: { user: 'ana', cents: 200 }, timestamp: seconds(3), key: 'app' },
  )
  .advanceWatermarkToInfinity();

export default (p: Pipeline) => {
  const all = p.input<Purchase>({ name: 'purchases', default: purchases });
  // A rolling sum per user: one updated total per record.
  all.keyBy((purchase) => purchase.user).sum((purchase) => purchase.cents).sink('per-user');
  // The same records keyed by the TestStream's key: the channel they came from.
  all.keyBy().sum((purchase) => purchase.cents).sink('per-channel');
};
