// Collects what a page reports as going wrong (console errors and uncaught exceptions), so a
// test can end with `expect(errors).toEqual([])`. Shared by the Playwright specs.

import type { Page } from '@playwright/test';

/** The page's console errors and uncaught exceptions from now on, as they happen. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}
