// The current route as Svelte state, kept in step with `location.hash`. The hash is the one
// source of truth: links set it, the back button restores it, and the router only follows.
import { parseHash, routeHref, type Route } from './route.ts';

export class Router {
  route: Route = $state(parseHash(location.hash));
  /** Counts navigations after the first page, so the shell moves focus only on real ones. */
  navigations = $state(0);

  constructor() {
    addEventListener('hashchange', () => {
      this.route = parseHash(location.hash);
      this.navigations++;
    });
  }

  /** Goes to `route`, adding a history entry (or replacing the current one). */
  go(route: Route, options: { replace?: boolean } = {}): void {
    const href = routeHref(route);
    if (options.replace) {
      history.replaceState(history.state, '', href);
      this.route = parseHash(href);
    } else {
      location.hash = href.slice(1);
    }
  }
}

export const router = new Router();
