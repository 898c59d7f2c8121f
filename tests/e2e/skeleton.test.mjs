// The skeleton of the web interface: first-start set-up lands signed in on the dashboard;
// sign out; sign in again on /login; anonymous pages go to the sign-in page.
import assert from 'node:assert/strict';
import { e2e, setupOwner, signIn, OWNER } from './lib.mjs';

e2e('set-up, dashboard, sign out and sign in again', async ({ page, server }) => {
  await setupOwner(page, server);
  await page.getByRole('heading', { level: 1, name: `Welcome, ${OWNER.name}` }).waitFor();
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const label of ['Catalogue', 'Frameworks', 'New from role', 'Job analyses', 'Account']) {
    assert.equal(await nav.getByRole('link', { name: label, exact: true }).count(), 1, label);
  }
  assert.match(await page.textContent('body'), /no frameworks yet/);

  // Keyboard: the first Tab reaches the skip link, which moves to the main content.
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to main content' });
  assert.equal(await skip.evaluate((el) => el === document.activeElement), true);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`${server.base}/login`);
  await page.getByText('You are signed out.').waitFor();

  // Signed out: the dashboard sends to the sign-in page, and back after signing in.
  await page.goto(`${server.base}/account?tab=1`);
  await page.waitForURL(/\/login\?next=/);
  assert.equal(new URL(page.url()).searchParams.get('next'), '/account?tab=1');

  // A wrong password is refused with a message.
  await page.getByLabel('Email').fill(OWNER.email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'The email or the password is wrong.' }).waitFor();

  await signIn(page, server);
  await page.waitForURL(`${server.base}/`);
  await page.getByRole('heading', { level: 1, name: `Welcome, ${OWNER.name}` }).waitFor();
});
