// The document title of each route, so tabs, history and screen readers name the page.
import { findLesson, glossary, guides } from './content-index.ts';
import type { Route } from './route.ts';

const SITE = 'Brook';

export function pageTitle(route: Route): string {
  switch (route.page) {
    case 'home':
      return 'Brook — stream processing, in your browser';
    case 'learn': {
      if (route.lessonId === undefined) return `Learn — ${SITE}`;
      const lesson = findLesson(route.lessonId);
      return lesson ? `${lesson.number}. ${lesson.title} — ${SITE}` : `Not found — ${SITE}`;
    }
    case 'playground':
      return route.query.present === '1' ? `Presentation — ${SITE}` : `Playground — ${SITE}`;
    case 'glossary':
      return route.term === undefined ? `Glossary — ${SITE}` : `${glossary.find((g) => g.id === route.term)?.term ?? route.term} — Glossary — ${SITE}`;
    case 'guides':
      return route.guideId === undefined ? `Guides — ${SITE}` : `${guides.find((g) => g.id === route.guideId)?.title ?? route.guideId} — Guides — ${SITE}`;
    case 'embed':
      return `${SITE} (embedded run)`;
    case 'not-found':
      return `Not found — ${SITE}`;
  }
}
