import { expect, test } from '@playwright/test';
import { curriculum } from '../../src/app/curriculum.ts';

test('home page shows Brook, the curriculum map and the command line without console errors', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));

  await page.goto('/');

  await expect(page).toHaveTitle('Brook — stream processing, in your browser');
  await expect(page.getByRole('heading', { level: 1, name: 'Brook' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link')).toHaveText(['Learn', 'Playground', 'Glossary', 'Guides']);
  await expect(page.getByText('npx brook run examples/sessions.ts --input examples/sessions-input.json')).toBeVisible();

  const lessons = page.getByRole('region', { name: 'What you will learn' }).getByRole('listitem');
  await expect(lessons).toHaveCount(curriculum.length);
  // Written lessons show their own title; the others their curriculum topic and "coming soon".
  const last = lessons.nth(curriculum.length - 1);
  await expect(last).toContainText(/Operating|job/);
  await expect(lessons.first().getByRole('link')).toHaveAttribute('href', /^#\/learn\//);

  expect(errors).toEqual([]);
});
