import { describe, expect, it } from 'vitest';
import { navSection, parseHash, routeHref, type Route } from '../../src/app/shell/route.ts';

describe('parseHash', () => {
  it('reads an empty hash and "#/" as the home page', () => {
    expect(parseHash('')).toEqual({ page: 'home' });
    expect(parseHash('#')).toEqual({ page: 'home' });
    expect(parseHash('#/')).toEqual({ page: 'home' });
  });

  it('reads every page and its id', () => {
    expect(parseHash('#/learn')).toEqual({ page: 'learn' });
    expect(parseHash('#/learn/03-windows')).toEqual({ page: 'learn', lessonId: '03-windows' });
    expect(parseHash('#/playground')).toEqual({ page: 'playground', query: {} });
    expect(parseHash('#/glossary')).toEqual({ page: 'glossary' });
    expect(parseHash('#/glossary/allowed-lateness')).toEqual({ page: 'glossary', term: 'allowed-lateness' });
    expect(parseHash('#/guides')).toEqual({ page: 'guides' });
    expect(parseHash('#/guides/handle-late-data')).toEqual({ page: 'guides', guideId: 'handle-late-data' });
  });

  it('reads the query of the playground and of an embed', () => {
    expect(parseHash('#/playground?s=abc-DEF&present=1')).toEqual({ page: 'playground', query: { s: 'abc-DEF', present: '1' } });
    expect(parseHash('#/embed?s=xyz&panels=time,output&readonly=1&autoplay=1&fold=setup')).toEqual({
      page: 'embed',
      query: { s: 'xyz', panels: 'time,output', readonly: '1', autoplay: '1', fold: 'setup' },
    });
  });

  it('keeps lz-string characters (+, $, -) of a share payload intact', () => {
    const route = parseHash(routeHref({ page: 'playground', query: { s: 'N4Ig+$-_x' } }));
    expect(route).toEqual({ page: 'playground', query: { s: 'N4Ig+$-_x' } });
  });

  it('decodes percent-encoded ids and tolerates broken escapes', () => {
    expect(parseHash('#/glossary/event%20time')).toEqual({ page: 'glossary', term: 'event time' });
    expect(parseHash('#/glossary/%E0%A4%A')).toEqual({ page: 'glossary', term: '%E0%A4%A' });
  });

  it('answers not-found for unknown pages and extra segments', () => {
    expect(parseHash('#/nope')).toEqual({ page: 'not-found', path: '/nope' });
    expect(parseHash('#/learn/03-windows/extra')).toEqual({ page: 'not-found', path: '/learn/03-windows/extra' });
    expect(parseHash('#/playground/x')).toEqual({ page: 'not-found', path: '/playground/x' });
  });
});

describe('routeHref', () => {
  it('gives back the route it was made from, for every kind of route', () => {
    const routes: Route[] = [
      { page: 'home' },
      { page: 'learn' },
      { page: 'learn', lessonId: 'late-data' },
      { page: 'playground', query: {} },
      { page: 'playground', query: { s: 'abc', present: '1' } },
      { page: 'glossary' },
      { page: 'glossary', term: 'event time' },
      { page: 'guides', guideId: 'embed-a-run' },
      { page: 'embed', query: { s: 'q', panels: 'time' } },
      { page: 'not-found', path: '/nope' },
    ];
    for (const r of routes) expect(parseHash(routeHref(r))).toEqual(r);
  });

  it('writes plain hrefs', () => {
    expect(routeHref({ page: 'home' })).toBe('#/');
    expect(routeHref({ page: 'glossary', term: 'watermark' })).toBe('#/glossary/watermark');
    expect(routeHref({ page: 'playground', query: { s: 'a b' } })).toBe('#/playground?s=a+b');
  });
});

describe('navSection', () => {
  it('marks lessons as Learn, other pages as themselves, the home page and embeds as none', () => {
    expect(navSection({ page: 'home' })).toBeNull();
    expect(navSection({ page: 'learn', lessonId: 'x' })).toBe('learn');
    expect(navSection({ page: 'glossary', term: 'x' })).toBe('glossary');
    expect(navSection({ page: 'embed', query: {} })).toBeNull();
  });
});
