// The lesson topics, in teaching order; lessons/ will hold one folder per topic.
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
