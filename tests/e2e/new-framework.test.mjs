// "New framework from a role": generate for a Machine Learning Engineer at GS-13, read the
// rationales, remove one competency, add one from the catalogue, save, see the framework.
import assert from 'node:assert/strict';
import { e2e, setupOwner } from './lib.mjs';

e2e('generate a framework for a role, remove and add competencies, save', async ({ page, server }) => {
  await setupOwner(page, server);
  await page.getByRole('link', { name: 'New from role', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'New framework from a role' }).waitFor();
  await page.getByLabel('Role title').fill('Machine Learning Engineer');
  await page.getByLabel('Tasks').fill(
    'Trains and evaluates machine learning models\nBuilds data pipelines for model training\nDeploys models to production and monitors them',
  );
  await page.getByLabel('GS grade').selectOption('GS-13');
  await page.getByRole('button', { name: 'Generate draft' }).click();

  await page.getByRole('heading', { level: 1, name: /^Draft: / }).waitFor();
  const items = page.locator('.draft-item');
  const count = await items.count();
  assert.ok(count >= 6 && count <= 12, `6 to 12 competencies (${count})`);
  // Every competency says why it was chosen.
  const rationales = await page.locator('.rationale').allTextContents();
  assert.equal(rationales.length, count);
  for (const text of rationales) {
    assert.ok(text.replace('Why:', '').trim().length > 20, `a real rationale: ${text}`);
    // In plain words: the numbers are behind "Details".
    assert.ok(!/\d\.\d|score/.test(text), `no scores in the rationale: ${text}`);
  }
  const details = page.locator('.draft-item details.numbers');
  assert.equal(await details.count(), count, 'every competency has its details');
  await details.first().locator('summary').click();
  assert.match(await details.first().textContent(), /suggestion score \d\.\d\d/);

  // Remove the last competency.
  const boxes = page.getByRole('checkbox', { name: /^Keep / });
  const removedLabel = await page.locator('.draft-item label').last().textContent();
  const removed = removedLabel.replace(/^Keep /, '').replace(/ in the framework$/, '').trim();
  await boxes.last().uncheck();
  // The script (allowed by the pages' Content-Security-Policy) dims it.
  assert.match(await items.last().getAttribute('class'), /\bremoved\b/);

  // Add one from the catalogue: narrow the list by typing, then add.
  await page.getByLabel('Find in the list').fill('values-driven');
  await page.getByLabel('Find in the list').fill('values driven');
  const select = page.getByLabel('Competency to add');
  // Typing narrowed the list to the match and chose it.
  assert.equal(await select.inputValue(), 'values-driven-design');
  assert.equal(await select.locator('option:not([hidden])').count(), 2, 'the prompt and the match');
  await select.selectOption({ label: 'Values-Driven Design (technical)' });
  await page.getByRole('button', { name: 'Add to draft' }).click();
  await page.getByText('Added “Values-Driven Design” to the draft.').waitFor();
  assert.equal(await page.locator('.draft-item').count(), count + 1);
  // The removed one stays removed across the step.
  assert.equal(
    await page.getByRole('checkbox', { name: `Keep ${removed} in the framework` }).isChecked(),
    false,
  );

  await page.getByRole('button', { name: 'Save framework' }).click();
  await page.waitForURL(/\/frameworks\/[0-9a-f-]{36}$/);
  await page.getByText(/^Saved “.*” as a draft with \d+ competencies\.$/).waitFor();
  const names = (await page.locator('article.competency h4').allTextContents()).map((t) => t.trim());
  assert.equal(names.length, count, 'one removed, one added');
  assert.ok(!names.some((n) => n.startsWith(removed)), `${removed} was removed`);
  assert.ok(names.some((n) => n.startsWith('Values-Driven Design')), 'the added one is there');
  assert.ok((await page.locator('.rationale').count()) >= count - 1);

  // It is on the dashboard and in the list.
  await page.getByRole('link', { name: 'Frameworks', exact: true }).click();
  assert.equal(await page.locator('tbody tr').count(), 1);
});
