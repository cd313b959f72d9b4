import { describe, expect, it } from 'vitest';
import { contentTarget } from '../../src/app/shell/content-links.ts';

describe('links in lesson prose', () => {
  it('lead to glossary entries, lessons and guides', () => {
    expect(contentTarget('glossary:watermark')).toEqual({ kind: 'href', href: '#/glossary/watermark' });
    expect(contentTarget('lesson:late-data')).toEqual({ kind: 'href', href: '#/learn/late-data' });
    expect(contentTarget('lesson:late-data@0:12:07')).toEqual({ kind: 'href', href: '#/learn/late-data?t=727000' });
    expect(contentTarget('guide:embed-a-run')).toEqual({ kind: 'href', href: '#/guides/embed-a-run' });
  });

  it('turn moments into a point on the run', () => {
    expect(contentTarget('moment:0:12:07')).toEqual({ kind: 'moment', t: 727_000 });
    expect(contentTarget('moment:t=1500')).toEqual({ kind: 'moment', t: 1500 });
  });

  it('keep ordinary links as they are', () => {
    expect(contentTarget('https://flink.apache.org/')).toEqual({ kind: 'href', href: 'https://flink.apache.org/' });
    expect(contentTarget('#/playground')).toEqual({ kind: 'href', href: '#/playground' });
  });
});
