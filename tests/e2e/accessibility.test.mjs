// Every page of the web interface: labelled controls, one h1, landmarks, skip link, unique
// ids (lib.mjs `accessibilityProblems`), and the role form operated with the keyboard alone.
import assert from 'node:assert/strict';
import { e2e, setupOwner, accessibilityProblems } from './lib.mjs';

e2e('every page is labelled and structured; the role form works by keyboard', async ({ page, server }) => {
  // Before anyone is signed in.
  await page.goto(server.setupUrl);
  assert.deepEqual(await accessibilityProblems(page), [], 'set-up page');
  await setupOwner(page, server);

  const pages = ['/', '/catalogue', '/catalogue?q=data&kind=technical', '/catalogue/opm-ai-2024/data-analysis',
    '/catalogue/opm-ai-2024/application-development', '/frameworks', '/frameworks/new', '/account'];
  for (const path of pages) {
    await page.goto(server.base + path);
    assert.deepEqual(await accessibilityProblems(page), [], path);
  }

  // The role form with the keyboard alone: Tab from the skip link to the title, type, Tab to
  // the grade, choose it, Enter submits.
  await page.goto(`${server.base}/frameworks/new`);
  await page.keyboard.press('Tab'); // skip link
  await page.keyboard.press('Enter');
  let guard = 0;
  while (!(await page.evaluate(() => document.activeElement && document.activeElement.id === 'title'))) {
    await page.keyboard.press('Tab');
    assert.ok(++guard < 30, 'the role title is reachable by Tab');
  }
  await page.keyboard.type('Data Scientist');
  await page.keyboard.press('Tab'); // description
  await page.keyboard.press('Tab'); // tasks
  await page.keyboard.press('Tab'); // grade
  assert.equal(await page.evaluate(() => document.activeElement.id), 'grade');
  await page.keyboard.press('ArrowDown'); // GS-11
  await page.keyboard.press('ArrowDown'); // GS-12
  await page.keyboard.press('ArrowDown'); // GS-13
  await page.focus('#title');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: /^Draft: Data Scientist \(GS-13\)/ }).waitFor();
  assert.deepEqual(await accessibilityProblems(page), [], 'draft page');

  // Save, then the framework page.
  await page.getByRole('button', { name: 'Save framework' }).focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/frameworks\/[0-9a-f-]{36}$/);
  assert.deepEqual(await accessibilityProblems(page), [], 'framework page');

  // Error pages too.
  await page.goto(`${server.base}/no/such/page`);
  assert.deepEqual(await accessibilityProblems(page), [], '404 page');

  await page.goto(server.base + '/');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`${server.base}/login`);
  assert.deepEqual(await accessibilityProblems(page), [], 'sign-in page');
});
