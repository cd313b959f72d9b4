import { describe, expect, it } from 'vitest';
import { embedQuery, embedUrl, iframeSnippet, parseEmbedOptions, parsePanelList, playgroundUrl, titleFromCode, type EmbedOptions } from '../../src/app/share/embed-link.ts';

describe('embed links', () => {
  it('read the options of an embed query', () => {
    expect(parseEmbedOptions({ s: 'abc', panels: 'time,output', readonly: '1', autoplay: '1', fold: 'setup' })).toEqual({
      s: 'abc',
      panels: ['time', 'output'],
      readonly: true,
      autoplay: true,
      fold: ['setup'],
      editor: true,
    });
  });

  it('fall back to the run’s own panels and to defaults', () => {
    expect(parseEmbedOptions({ s: 'abc' }, ['graph'])).toEqual({ s: 'abc', panels: ['graph'], readonly: false, autoplay: false, fold: [], editor: true });
    expect(parseEmbedOptions({ s: 'abc', editor: '0', panels: 'bogus' }, ['state']).editor).toBe(false);
    expect(parseEmbedOptions({ s: 'abc', panels: 'bogus' }, ['state']).panels).toEqual(['state']);
  });

  it('keep known panels once each, in the order given', () => {
    expect(parsePanelList('output, time,output,nope,graph')).toEqual(['output', 'time', 'graph']);
    expect(parsePanelList(undefined)).toEqual([]);
  });

  it('give back the options they were made from', () => {
    const o: EmbedOptions = { s: 'x+y$', panels: ['metrics', 'time'], readonly: true, autoplay: false, fold: ['setup'], editor: false };
    expect(parseEmbedOptions(embedQuery(o))).toEqual(o);
  });

  it('write playground and embed URLs on the page’s address', () => {
    expect(playgroundUrl('https://brook.dev/', 'a+b')).toBe('https://brook.dev/#/playground?s=a%2Bb');
    expect(embedUrl('https://brook.dev/', { s: 'q', panels: ['time', 'output'], readonly: true, autoplay: true, fold: [], editor: true })).toBe(
      'https://brook.dev/#/embed?s=q&panels=time%2Coutput&readonly=1&autoplay=1',
    );
  });

  it('write an iframe snippet with escaped attributes', () => {
    expect(iframeSnippet({ src: 'https://brook.dev/#/embed?s=q&panels=time', width: 900, height: 560, title: 'Sessions "demo"' })).toBe(
      '<iframe src="https://brook.dev/#/embed?s=q&amp;panels=time" width="900" height="560" loading="lazy" title="Brook: Sessions &quot;demo&quot;"></iframe>',
    );
  });

  it('title a run after the first comment line of its code', () => {
    expect(titleFromCode('// Per-user scores over sessions.\nimport x')).toBe('Per-user scores over sessions');
    expect(titleFromCode('\n\nimport x from "y";')).toBe('a streaming pipeline');
  });
});
