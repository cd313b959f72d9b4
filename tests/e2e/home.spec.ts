import { expect, test } from '@playwright/test';
import { curriculum } from '../../src/app/curriculum.ts';

test('home page shows Brook, the command line and the curriculum without console errors', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));

  await page.goto('/');

  await expect(page).toHaveTitle('Brook — stream processing, in your browser');
  await expect(page.getByRole('heading', { level: 1, name: 'Brook' })).toBeVisible();
  await expect(page.getByText('npx brook run examples/sessions.ts --input examples/sessions-input.json')).toBeVisible();

  const topics = page.getByRole('list').filter({ hasText: 'Watermarks' }).getByRole('listitem');
  await expect(topics).toHaveCount(curriculum.length);
  await expect(topics).toContainText([...curriculum]);

  await page.screenshot({ path: 'test-results/screens/home.png', fullPage: true });
  expect(errors).toEqual([]);
});
