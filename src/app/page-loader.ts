// The app's pages, each loaded by import() the first time its route is visited, so the first
// paint downloads only the shell: the playground's panels, d3 and engine host, and the lessons'
// content, arrive with the pages that use them. Invariant: one promise per page, ever, so a
// page visited again renders at once and the shell can await the same load to move focus.
import type { Route } from './shell/route.ts';

const loaders = {
  home: () => import('./pages/Home.svelte'),
  learn: () => import('./pages/Learn.svelte'),
  lesson: () => import('./pages/Lesson.svelte'),
  playground: () => import('./pages/Playground.svelte'),
  glossary: () => import('./pages/Glossary.svelte'),
  guides: () => import('./pages/Guides.svelte'),
  embed: () => import('./pages/Embed.svelte'),
  'not-found': () => import('./pages/NotFound.svelte'),
};

/** Which page component a route shows (the learn route shows a lesson when it names one). */
export type PageKind = keyof typeof loaders;

type PageComponent<K extends PageKind> = Awaited<ReturnType<(typeof loaders)[K]>>['default'];

const loaded = new Map<PageKind, Promise<unknown>>();

/** The page component for `kind`, downloading its chunk on the first call only. */
export function loadPage<K extends PageKind>(kind: K): Promise<PageComponent<K>> {
  let promise = loaded.get(kind);
  if (!promise) {
    promise = loaders[kind]().then((m) => m.default);
    // A failed download (offline before the chunk was cached) may succeed on the next visit.
    promise.catch(() => loaded.delete(kind));
    loaded.set(kind, promise);
  }
  return promise as Promise<PageComponent<K>>;
}

export function pageKind(route: Route): PageKind {
  if (route.page === 'learn') return route.lessonId === undefined ? 'learn' : 'lesson';
  return route.page;
}
