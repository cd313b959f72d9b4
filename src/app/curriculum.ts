// The lesson topics, in teaching order; lessons/ holds one `NN-slug/` folder per topic.
// Invariant: the order here is the order of the curriculum map and of lesson numbers.
export const curriculum: readonly string[] = [
  'Events and pipelines',
  'Event time vs processing time',
  'Windows',
  'Sessions',
  'Watermarks',
  'Late data',
  'Triggers and accumulation',
  'State and timers',
  'Checkpoints',
  'Delivery guarantees',
  'Partitions and alignment',
  'Joins',
  'Reprocessing',
  'Operating a job',
];

/** One lesson of the curriculum; `id` is its folder name in lessons/ and its route. */
export interface CurriculumEntry {
  readonly number: number;
  readonly title: string;
  readonly id: string;
}

function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/**
 * The curriculum with the default lesson ids (`03-windows`); a lesson folder with the same
 * number and another slug takes precedence (see lesson-index.ts).
 */
export const curriculumEntries: readonly CurriculumEntry[] = curriculum.map((title, i) => ({
  number: i + 1,
  title,
  id: `${String(i + 1).padStart(2, '0')}-${slug(title)}`,
}));
