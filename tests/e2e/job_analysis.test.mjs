// Job analysis in the browser: the analyst creates "AI Research Scientist, GS-14", invites three
// SMEs, three SMEs fill in their survey pages (two saved as they go by the page's script, one
// with the button), the analyst closes the survey, sees the critical tasks and reads the report;
// a link then says the survey is closed.
import assert from 'node:assert/strict';
import { e2e, setupOwner, accessibilityProblems } from './lib.mjs';

async function assertAccessible(page, what) {
  assert.deepEqual(await accessibilityProblems(page), [], what);
}

e2e('job analysis: create, invite three SMEs, survey, close, results, report', async ({ page, server, context }) => {
  await setupOwner(page, server);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Job analyses' }).click();
  await page.getByRole('heading', { level: 1, name: 'Job analyses' }).waitFor();
  await assertAccessible(page, 'list and create');

  await page.getByLabel('Position').fill('AI Research Scientist, GS-14');
  await page.getByLabel('Grade').fill('GS-14');
  await page.getByLabel('Tasks').fill([
    'Designs experiments to evaluate model robustness',
    'Maintains the coffee machine',
  ].join('\n'));
  await page.getByLabel('Competencies', { exact: true }).fill('ml | Machine Learning\nstats | Statistics');
  await page.getByRole('button', { name: 'Create job analysis' }).click();
  await page.getByRole('heading', { level: 1, name: 'AI Research Scientist, GS-14' }).waitFor();
  const analysisUrl = page.url();
  await assertAccessible(page, 'overview');

  await page.getByLabel('Number of SMEs').fill('3');
  await page.getByRole('button', { name: 'Create private survey links' }).click();
  await page.getByText('shown only once').waitFor();
  const links = await page.locator('a.survey-link').evaluateAll((as) => as.map((a) => a.href));
  assert.equal(links.length, 3);
  await assertAccessible(page, 'links');

  // Three SMEs answer. The first two are saved by the page's script as they click.
  const importance = ['3', '4', '3'];
  for (let i = 0; i < 3; i += 1) {
    const sme = await context.newPage();
    await sme.goto(links[i]);
    await sme.getByRole('heading', { level: 1, name: 'Job analysis survey' }).waitFor();
    if (i === 0) await assertAccessible(sme, 'survey');
    const task1 = sme.getByRole('group', { name: /^Task 1:/ });
    await task1.getByRole('group', { name: 'Importance of task 1' }).getByRole('radio', { name: new RegExp(`^${importance[i]} –`) }).check();
    await task1.getByRole('group', { name: 'Frequency of task 1' }).getByRole('radio', { name: /^3 –/ }).check();
    const task2 = sme.getByRole('group', { name: /^Task 2:/ });
    await task2.getByRole('group', { name: 'Importance of task 2' }).getByRole('radio', { name: /^1 –/ }).check();
    await task2.getByRole('group', { name: 'Frequency of task 2' }).getByRole('radio', { name: /^1 –/ }).check();
    const ml = sme.getByRole('group', { name: /^Competency 1: Machine Learning/ });
    await ml.getByRole('group', { name: 'Importance of Machine Learning' }).getByRole('radio', { name: /^4 –/ }).check();
    await ml.getByRole('radio', { name: 'Yes, needed on the first day' }).check();
    await ml.getByRole('checkbox', { name: 'Designs experiments to evaluate model robustness' }).check();
    if (i < 2) {
      await sme.getByText(/All answers saved/).waitFor();
    } else {
      await sme.getByRole('button', { name: 'Save my answers' }).click();
      await sme.getByText('Your answers are saved.').waitFor();
    }
    await sme.close();
  }

  await page.goto(analysisUrl);
  assert.equal((await page.locator('#progress').textContent()).trim(), '3 of 3');
  await page.getByRole('button', { name: 'Close the survey' }).click();
  await page.getByRole('heading', { level: 1, name: 'Results of the job analysis' }).waitFor();
  await page.getByText('The survey is closed. These are the results.').waitFor();
  await assertAccessible(page, 'results');
  const t1 = page.locator('#task-results tr[data-task="T01"]');
  assert.equal(await t1.getAttribute('data-status'), 'critical');
  // The rule that decided it is shown with the task's decisions, below the table.
  assert.match(await page.locator('#task-decisions-T01').textContent(), /task\.critical_when_mean_importance/);
  assert.equal(await page.locator('#task-results tr[data-task="T02"]').getAttribute('data-status'), 'not critical');
  assert.equal(await page.locator('#competency-results tr[data-competency="ml"] .decision').count(), 1);

  await page.goto(`${analysisUrl}/hiring`);
  await page.getByRole('heading', { level: 1, name: 'Assessment and selection' }).waitFor();
  await assertAccessible(page, 'hiring');
  await page.goto(`${analysisUrl}/results`);
  await page.getByRole('link', { name: 'Read the documentation report' }).click();
  await page.waitForURL(/\/report$/);
  const report = await page.textContent('body');
  assert.match(report, /AI Research Scientist, GS-14/);
  assert.match(report, /SME-3/);

  // The link no longer takes answers.
  const late = await context.newPage();
  await late.goto(links[0]);
  await late.getByText('This survey is closed.').waitFor();
  await assertAccessible(late, 'closed survey');
  assert.equal(await late.getByRole('button', { name: 'Save my answers' }).count(), 0);
});
