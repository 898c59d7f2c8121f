// The framework pages in a real browser: sign in, generate a framework for a role, edit an indicator,
// watch a lint finding appear beside it and disappear when fixed, save, publish, read the
// diff in the history, and download the XLSX export.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { e2e, setupOwner, signIn, accessibilityProblems } from './lib.mjs';

/** Generates a draft for `title` on "New from role" and saves it; returns the framework's id. */
async function generate(page, title) {
  await page.getByRole('link', { name: 'New from role', exact: true }).click();
  await page.getByLabel('Role title').fill(title);
  await page.getByRole('button', { name: 'Generate draft' }).click();
  await page.getByRole('heading', { level: 1, name: /^Draft: / }).waitFor();
  await page.getByRole('button', { name: 'Save framework' }).click();
  await page.waitForURL(/\/frameworks\/[0-9a-f-]{36}$/);
  return new URL(page.url()).pathname.split('/').pop();
}

/** The page's controls are labelled, it has one h1, landmarks and unique ids (lib.mjs). */
async function assertLabelled(page) {
  assert.deepEqual(await accessibilityProblems(page), [], page.url());
}

e2e('edit with live lint, save, publish, diff and export', async ({ page, server }) => {
  await setupOwner(page, server);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`${server.base}/login`);
  await signIn(page, server);
  await page.waitForURL(`${server.base}/`);
  const id = await generate(page, 'Data Scientist');

  // The list links to the framework; its page shows competencies and levels.
  await page.goto('/frameworks');
  await page.getByRole('link', { name: /Data Scientist/ }).first().click();
  await page.waitForURL(`${server.base}/frameworks/${id}`);
  await page.getByRole('heading', { level: 2, name: /Competencies/ }).waitFor();
  await page.getByRole('heading', { level: 2, name: 'Review dates' }).waitFor();
  await assertLabelled(page);

  // The editor: the first level's indicators of the first competency.
  await page.getByRole('link', { name: 'Edit', exact: true }).click();
  await page.waitForURL(`${server.base}/frameworks/${id}/edit`);
  await assertLabelled(page);
  const indicators = page.locator('#f-competencies-0-levels-0-indicators');
  const label = await page.locator('label[for="f-competencies-0-levels-0-indicators"]').textContent();
  assert.match(label, /Indicators at level 1/);
  const original = await indicators.inputValue();
  assert.ok(original.split('\n').length >= 2, 'generated indicators');

  // An unobservable verb: the finding appears beside the field and in the panel.
  const beside = page.locator('#findings-f-competencies-0-levels-0-indicators li[data-code="indicator-unobservable"]');
  const inPanel = page.locator('#lint-list li[data-code="indicator-unobservable"][data-target="f-competencies-0-levels-0-indicators"]');
  assert.equal(await beside.count(), 0);
  await indicators.focus();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\nUnderstands the basics of data pipelines');
  await beside.waitFor();
  await inPanel.waitFor();
  assert.match(await inPanel.textContent(), /Understands|observ/i);

  // Fixed: it disappears.
  await indicators.fill(`${original}\nExplains the steps of a data pipeline to a colleague`);
  await beside.waitFor({ state: 'detached' });
  await inPanel.waitFor({ state: 'detached' });

  // Findings stay beside their field when a competency above is ticked for removal.
  await page.evaluate(() => {
    window.lintRuns = 0;
    document.getElementById('editor').addEventListener('lint-updated', () => { window.lintRuns += 1; });
  });
  const third = page.locator('#f-competencies-2-levels-0-indicators');
  const thirdOriginal = await third.inputValue();
  const thirdFinding = page.locator('#findings-f-competencies-2-levels-0-indicators li[data-code="indicator-unobservable"]');
  await third.fill(`${thirdOriginal}\nKnows the data model`);
  await thirdFinding.waitFor();
  const runs = await page.evaluate(() => window.lintRuns);
  await page.locator('#f-competencies-0-remove').check();
  await page.waitForFunction((n) => window.lintRuns > n, runs);
  assert.equal(await thirdFinding.count(), 1, 'still beside the third competency');
  assert.equal(await page.locator('#lint-list li[data-code="indicator-unobservable"][data-target="f-competencies-2-levels-0-indicators"]').count(), 1);
  await page.locator('#f-competencies-0-remove').uncheck();
  await third.fill(thirdOriginal);
  await thirdFinding.waitFor({ state: 'detached' });

  // Save: a new revision.
  await page.getByLabel('What changed').fill('A clearer first level');
  await page.getByRole('button', { name: 'Save as a new revision' }).click();
  await page.waitForURL(`${server.base}/frameworks/${id}`);
  await page.getByText('Saved as revision 2.').waitFor();
  await page.getByText('Explains the steps of a data pipeline to a colleague').waitFor();

  // History: the diff of the save, then publish.
  await page.getByRole('link', { name: 'History, diff and publishing' }).click();
  await page.getByRole('heading', { name: 'From revision 1 to revision 2' }).waitFor();
  const added = page.locator('#diff ins', { hasText: 'Explains the steps of a data pipeline to a colleague' });
  assert.equal(await added.count(), 1);
  assert.match(await page.locator('table.revisions').textContent(), /A clearer first level/);

  await assertLabelled(page);
  await page.getByLabel(/^Version/).fill('1.0.0');
  await page.getByRole('button', { name: 'Publish revision 2' }).click();
  await page.getByText('Published version 1.0.0.').waitFor();
  assert.match(await page.locator('table.releases').textContent(), /1\.0\.0/);

  // Export: the XLSX download is a workbook (a ZIP file: "PK").
  await page.goto(`/frameworks/${id}`);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Excel workbook (XLSX)' }).click(),
  ]);
  const file = await download.path();
  const bytes = readFileSync(file);
  assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK');
  assert.match(download.suggestedFilename(), /\.xlsx$/);

  // The interview guide is a page of its own, laid out for printing.
  await page.getByRole('link', { name: /Interview guide/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Structured interview guide' }).waitFor();
  assert.ok(await page.locator('.guide-question').count() >= 2);
  await assertLabelled(page);

  // Account pages: a token is shown once; members with their roles.
  await page.goto('/account/tokens');
  await assertLabelled(page);
  await page.getByLabel('What it is for').fill('nightly export');
  await page.getByRole('button', { name: 'Create token' }).click();
  const secret = await page.getByLabel('Token', { exact: true }).inputValue();
  assert.match(secret, /^fwt_[0-9a-f]{64}$/);
  const works = await page.request.get('/api/v1/frameworks', { headers: { authorization: `Bearer ${secret}` } });
  assert.equal(works.status(), 200);
  await page.goto('/account/tokens');
  assert.equal(await page.getByLabel('Token', { exact: true }).count(), 0, 'shown once');
  await page.getByRole('button', { name: 'Revoke the token nightly export' }).click();
  await page.getByText('The token is revoked.').waitFor();
  await page.goto('/account/members');
  await assertLabelled(page);
  assert.match(await page.locator('table.members').textContent(), /owner@example\.test/);
});

e2e('the editor works without JavaScript; findings are rendered by the server', async ({ page, server, context }) => {
  await setupOwner(page, server);
  const browser = context.browser();
  const plain = await browser.newContext({ baseURL: server.base, javaScriptEnabled: false });
  try {
    const tab = await plain.newPage();
    tab.setDefaultTimeout(15_000);
    await signIn(tab, server);
    await tab.waitForURL(`${server.base}/`);
    const id = await generate(tab, 'Data Steward');
    await tab.goto(`/frameworks/${id}/edit`);
    const field = tab.locator('#f-competencies-1-levels-1-indicators');
    await field.fill(`${await field.inputValue()}\nUnderstands the data catalogue`);
    await tab.getByRole('button', { name: 'Save as a new revision' }).click();
    await tab.waitForURL(`${server.base}/frameworks/${id}`);
    await tab.getByText('Saved as revision 2.').waitFor();
    await tab.goto(`/frameworks/${id}/edit`);
    const finding = tab.locator('#findings-f-competencies-1-levels-1-indicators li[data-code="indicator-unobservable"]');
    assert.equal(await finding.count(), 1, 'rendered beside the field on load');
    assert.equal(await tab.locator('#lint-list li[data-code="indicator-unobservable"]').count(), 1);
  } finally {
    await plain.close();
  }
});
