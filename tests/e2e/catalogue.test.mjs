// The catalogue browser: search with filters, open a competency's page.
import assert from 'node:assert/strict';
import { e2e, setupOwner } from './lib.mjs';

e2e('catalogue search, filters and a competency page', async ({ page, server }) => {
  await setupOwner(page, server);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Catalogue' }).click();
  await page.getByRole('heading', { level: 1, name: 'Catalogue' }).waitFor();
  const all = await page.locator('tbody tr').count();
  assert.ok(all > 10, `the whole catalogue is listed (${all} rows)`);

  await page.getByLabel('Search').fill('data');
  await page.getByLabel('Kind').selectOption('technical');
  await page.getByLabel('Confirmed at grade').selectOption('GS-14');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.waitForURL(/q=data/);
  const rows = page.locator('tbody tr');
  const found = await rows.count();
  assert.ok(found >= 1 && found < all, `the search narrows the list (${found})`);
  for (const kind of await rows.locator('td:nth-child(2)').allTextContents()) {
    assert.equal(kind.trim(), 'technical');
  }
  for (const grades of await rows.locator('td:nth-child(3)').allTextContents()) {
    assert.match(grades, /GS-14/);
  }
  // The filters stay chosen.
  assert.equal(await page.getByLabel('Kind').inputValue(), 'technical');
  assert.equal(await page.getByLabel('Search').inputValue(), 'data');

  const first = rows.first().getByRole('link');
  const name = (await first.textContent()).trim();
  await first.click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
  await page.getByRole('heading', { name: 'Definition' }).waitFor();
  await page.getByRole('heading', { name: 'Grades' }).waitFor();
  const header = await page.locator('table thead th').allTextContents();
  assert.deepEqual(header.slice(0, 5), ['GS-11', 'GS-12', 'GS-13', 'GS-14', 'GS-15']);
  assert.match(await page.locator('table tbody td').nth(3).textContent(), /X/);
});
