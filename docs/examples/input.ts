// Reads the pipeline's input: the TestStream given with --input (or a lesson's script).
//
//   npx brook run docs/examples/input.ts --input docs/examples/input.input.json
import { type Pipeline } from 'brook';

interface Sale {
  item: string;
  cents: number;
}

export default (p: Pipeline) => {
  p.input<Sale>({ name: 'sales' })
    .filter((sale) => sale.cents >= 400)
    .sink('big-sales');
};
