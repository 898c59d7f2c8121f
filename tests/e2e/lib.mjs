// Helpers of the browser end-to-end tests: the real `framewright serve` binary on a free port
// with a fresh data folder, headless Debian Chromium driven by playwright-core, and the
// first-start set-up.
//
//   import { e2e, setupOwner, OWNER } from './lib.mjs';
//   e2e('signs in', async ({ page, server }) => { await setupOwner(page, server); ... });
//
// Environment: FRAMEWRIGHT_BIN (default: $CARGO_TARGET_DIR/debug/framewright, else
// target/debug/framewright), CHROMIUM (default /usr/bin/chromium).

import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
export const ARTIFACTS = path.join(here, 'artifacts');

/** The owner account the set-up creates. */
export const OWNER = {
  organisation: 'Example Agency',
  name: 'Olive Owner',
  email: 'owner@example.test',
  password: 'correct horse battery staple',
};

/** Path of the framewright binary under test. */
export function binary() {
  if (process.env.FRAMEWRIGHT_BIN) return process.env.FRAMEWRIGHT_BIN;
  const target = process.env.CARGO_TARGET_DIR || path.join(root, 'target');
  return path.join(target, 'debug', 'framewright');
}

/**
 * Starts `framewright serve --port 0` on a fresh temporary data folder and waits for it to
 * print its address and the one-time set-up link.
 * @returns {Promise<{base: string, setupUrl: string|null, dataDir: string, output: () => string, stop: () => Promise<void>}>}
 */
export async function startServer() {
  const bin = binary();
  if (!existsSync(bin)) {
    throw new Error(`no framewright binary at ${bin}: build it (cargo build -p framewright-cli) or set FRAMEWRIGHT_BIN`);
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'framewright-e2e-'));
  const child = spawn(bin, ['serve', '--port', '0', '--bind', '127.0.0.1', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, RUST_LOG: process.env.RUST_LOG || 'warn' },
  });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => { out += chunk; });
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`framewright serve did not start in 60 s:\n${out}`)), 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`framewright serve exited with ${code}:\n${out}`));
    });
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const running = out.match(/running at (http:\/\/[^\s/]+)\//);
      if (running && /Press Ctrl-C to stop/.test(out)) {
        clearTimeout(timer);
        const setup = out.match(/^\s+(http:\/\/\S+\/setup\?token=[0-9a-f]+)\s*$/m);
        resolve({ base: running[1], setupUrl: setup ? setup[1] : null });
      }
    });
  });
  const { base, setupUrl } = await ready;
  child.removeAllListeners('exit');
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { base, setupUrl, dataDir, output: () => out, stop };
}

/** Headless Debian Chromium. */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Completes the first-start set-up form through the one-time link; the owner lands signed
 * in on the start page.
 */
export async function setupOwner(page, server, owner = OWNER) {
  if (!server.setupUrl) throw new Error('the server printed no set-up link');
  await page.goto(server.setupUrl);
  await page.getByLabel('Organisation name').fill(owner.organisation);
  await page.getByLabel('Your name').fill(owner.name);
  await page.getByLabel('Email').fill(owner.email);
  await page.getByLabel('Password', { exact: false }).first().fill(owner.password);
  await page.getByLabel('Password again').fill(owner.password);
  await Promise.all([
    page.waitForURL(`${server.base}/`),
    page.getByRole('button', { name: 'Create account' }).click(),
  ]);
}

/** Signs in on /login. */
export async function signIn(page, server, owner = OWNER) {
  await page.goto(`${server.base}/login`);
  await page.getByLabel('Email').fill(owner.email);
  await page.getByLabel('Password').fill(owner.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * Checks what every page promises: `lang`, a title, one h1, a `main#main` landmark with a
 * skip link to it, a label for every form control, a name for every link and button, and
 * no positive tabindex. Returns the problems found (empty when none).
 */
export async function accessibilityProblems(page) {
  return page.evaluate(() => {
    const problems = [];
    if (document.documentElement.lang !== 'en') problems.push('html lang is not "en"');
    if (!document.title.trim()) problems.push('no <title>');
    const h1 = document.querySelectorAll('h1').length;
    if (h1 !== 1) problems.push(`${h1} h1 elements`);
    if (!document.querySelector('main#main')) problems.push('no <main id="main">');
    if (!document.querySelector('a.skip-link[href="#main"]')) problems.push('no skip link');
    const nameOf = (el) => (el.getAttribute('aria-label') || el.textContent || el.value || el.title || '').trim();
    for (const el of document.querySelectorAll('input, select, textarea')) {
      if (el.type === 'hidden') continue;
      const labelled = (el.labels && el.labels.length > 0) || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
      if (!labelled) problems.push(`no label: ${el.outerHTML.slice(0, 80)}`);
    }
    for (const el of document.querySelectorAll('a[href], button')) {
      if (!nameOf(el)) problems.push(`no accessible name: ${el.outerHTML.slice(0, 80)}`);
    }
    for (const el of document.querySelectorAll('[tabindex]')) {
      if (Number(el.getAttribute('tabindex')) > 0) problems.push(`positive tabindex: ${el.outerHTML.slice(0, 80)}`);
    }
    const ids = new Set();
    for (const el of document.querySelectorAll('[id]')) {
      if (ids.has(el.id)) problems.push(`duplicate id ${el.id}`);
      ids.add(el.id);
    }
    return problems;
  });
}

function safeName(name) {
  return name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();
}

/**
 * A browser test with its own server, browser and page, all stopped afterwards; on failure a
 * screenshot and the server's output go to tests/e2e/artifacts/.
 */
export function e2e(name, body, options = {}) {
  test(name, { timeout: 120_000, ...options }, async (t) => {
    const server = await startServer();
    let browser;
    let page;
    try {
      browser = await launchBrowser();
      const context = await browser.newContext({ baseURL: server.base, acceptDownloads: true });
      page = await context.newPage();
      page.setDefaultTimeout(15_000);
      await body({ page, server, context, t });
    } catch (error) {
      mkdirSync(ARTIFACTS, { recursive: true });
      const file = path.join(ARTIFACTS, safeName(name));
      if (page) {
        await page.screenshot({ path: `${file}.png`, fullPage: true }).catch(() => {});
      }
      const { writeFileSync } = await import('node:fs');
      writeFileSync(`${file}.server.log`, server.output());
      throw error;
    } finally {
      if (browser) await browser.close().catch(() => {});
      await server.stop();
    }
  });
}
