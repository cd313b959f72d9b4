// Hash routes of the app, as plain data: parsing a location hash into a Route and formatting a
// Route back into an href. Invariant: `parseHash(routeHref(r))` gives back `r` for every route,
// so every page and state has a link and the back button restores it.

/** Query parameters of a route (the part after `?` in the hash). */
export type RouteQuery = Readonly<Record<string, string>>;

export type Route =
  | { readonly page: 'home' }
  | { readonly page: 'learn'; readonly lessonId?: string }
  | { readonly page: 'playground'; readonly query: RouteQuery }
  | { readonly page: 'glossary'; readonly term?: string }
  | { readonly page: 'guides'; readonly guideId?: string }
  | { readonly page: 'embed'; readonly query: RouteQuery }
  | { readonly page: 'not-found'; readonly path: string };

/** Splits `#/a/b?x=1` into decoded path segments and query parameters. */
function splitHash(hash: string): { segments: string[]; query: Record<string, string> } {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  const query: Record<string, string> = {};
  if (q >= 0) {
    for (const [k, v] of new URLSearchParams(raw.slice(q + 1))) query[k] = v;
  }
  const segments = path
    .split('/')
    .filter((s) => s !== '')
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
  return { segments, query };
}

/**
 * The route a location hash names; anything unknown is `not-found`, never an exception.
 * @example parseHash('#/learn/03-windows') // { page: 'learn', lessonId: '03-windows' }
 */
export function parseHash(hash: string): Route {
  const { segments, query } = splitHash(hash);
  const [first, second, ...rest] = segments;
  const path = '/' + segments.join('/');
  if (rest.length > 0) return { page: 'not-found', path };
  switch (first) {
    case undefined:
      return { page: 'home' };
    case 'learn':
      return second === undefined ? { page: 'learn' } : { page: 'learn', lessonId: second };
    case 'playground':
      return second === undefined ? { page: 'playground', query } : { page: 'not-found', path };
    case 'glossary':
      return second === undefined ? { page: 'glossary' } : { page: 'glossary', term: second };
    case 'guides':
      return second === undefined ? { page: 'guides' } : { page: 'guides', guideId: second };
    case 'embed':
      return second === undefined ? { page: 'embed', query } : { page: 'not-found', path };
    default:
      return { page: 'not-found', path };
  }
}

function withQuery(path: string, query: RouteQuery): string {
  const search = new URLSearchParams(query).toString();
  return search ? `${path}?${search}` : path;
}

/**
 * The href (`#/...`) of a route.
 * @example routeHref({ page: 'glossary', term: 'watermark' }) // '#/glossary/watermark'
 */
export function routeHref(route: Route): string {
  const seg = encodeURIComponent;
  switch (route.page) {
    case 'home':
      return '#/';
    case 'learn':
      return route.lessonId === undefined ? '#/learn' : `#/learn/${seg(route.lessonId)}`;
    case 'playground':
      return withQuery('#/playground', route.query);
    case 'glossary':
      return route.term === undefined ? '#/glossary' : `#/glossary/${seg(route.term)}`;
    case 'guides':
      return route.guideId === undefined ? '#/guides' : `#/guides/${seg(route.guideId)}`;
    case 'embed':
      return withQuery('#/embed', route.query);
    case 'not-found':
      return `#${route.path}`;
  }
}

/** The section of the header nav a route belongs to (for `aria-current`). */
export function navSection(route: Route): 'learn' | 'playground' | 'glossary' | 'guides' | null {
  switch (route.page) {
    case 'learn':
      return 'learn';
    case 'playground':
    case 'glossary':
    case 'guides':
      return route.page;
    default:
      return null;
  }
}
