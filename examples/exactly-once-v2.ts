// exactly-once.ts after a code change: the dashboard now shows kilowatt-hours. Stop the first
// version with a savepoint, then resume this one from it (the commands are in README.md):
//
//   npx brook run examples/exactly-once.ts --checkpoint-interval 1000 --stop-with-savepoint-at 6000 --savepoint-out sp.json
//   npx brook savepoint inspect sp.json
//   npx brook run examples/exactly-once-v2.ts --checkpoint-interval 1000 --from-savepoint sp.json
//
// Savepoint state is matched by operator uid: the source ("readings"), the window totals
// ("meter-totals") and the sinks keep theirs, so the readings resume where they stopped and
// the open windows keep their partial sums; the new map step has no state and starts empty.
import { type Pipeline } from 'brook';
import { meterTotals } from './exactly-once.ts';

export default (p: Pipeline) => {
  const totals = meterTotals(p);
  totals.sinkTo('billing', { guarantee: 'exactlyOnce', uid: 'billing' });
  totals.map((wh) => wh / 1000).sink('dashboard');
};
