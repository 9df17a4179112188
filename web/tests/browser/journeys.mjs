// The browser journeys: Debian's Chromium driven by playwright-core against a running server
// with the demo data and users (tests/browser/run.sh sets one up). Each journey is a user's
// path through the app; each saves a screenshot of its main view to test-results/.
//
//   LAGESBILD_URL   the server (default http://127.0.0.1:8080)
//   CHROMIUM        the browser (default /usr/bin/chromium)
//   ONLY            run only the journeys whose names contain this
//   HEADFUL=1       not headless (for debugging on a desktop)

import { chromium } from 'playwright-core';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const BASE = (process.env.LAGESBILD_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-results');
const TIMEOUT = Number(process.env.TIMEOUT ?? 20000);
mkdirSync(OUT, { recursive: true });
for (const f of readdirSync(OUT)) if (f.startsWith('FAILED-')) rmSync(join(OUT, f)); // a past run's
// axe-core checks each main view against WCAG 2.1 A and AA (evaluated through the DevTools
// protocol, so the server's Content-Security-Policy stays on).
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const USERS = {
  analyst: { user: 'analytiker', password: 'demo-analytiker-2026' },
  officer: { user: 'omradespolis', password: 'demo-omradespolis-2026' },
  partner: { user: 'kommun', password: 'demo-kommun-2026' },
  auditor: { user: 'revisor', password: 'demo-revisor-2026' },
};
const PURPOSE = 'ärende 5000-K123-26';

// What one journey leaves for the next (the entity the analyst opened, for the partner and the
// auditor).
const shared = {};

// ---- a small runner ----------------------------------------------------------------------

const journeys = [];
const journey = (name, fn) => journeys.push({ name, fn });

class Failure extends Error {}
let currentStep = '';
/// Names what the journey is doing, for the report when it fails.
const step = (s) => (currentStep = s);
function check(cond, msg) {
  if (!cond) throw new Failure(msg);
}

async function newPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'sv-SE' });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // The browser logs every answer >= 400 as "Failed to load resource"; the app's own
    // handling of those answers (a dialog, a message) is what the journeys check.
    if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) page.errors.push(`console: ${m.text()}`);
  });
  return page;
}

async function shot(page, name) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: false });
}

async function login(page, who) {
  const u = USERS[who];
  await page.goto(`${BASE}/`);
  await page.locator('#login-user').fill(u.user);
  await page.locator('#login-password').fill(u.password);
  await page.getByRole('button', { name: /^Logga in$/ }).click();
  await page.locator('nav[aria-label="Huvudmeny"]').waitFor();
}

async function navLinks(page) {
  return (await page.locator('nav[aria-label="Huvudmeny"] a').allTextContents()).map((s) => s.trim());
}

/// Answers the purpose dialog when it is open.
async function givePurpose(page, purpose = PURPOSE) {
  const input = page.locator('#purpose-input');
  await input.waitFor({ state: 'visible' });
  await input.fill(purpose);
  await page.locator('dialog.purpose-dialog button[type=submit]').click();
  await input.waitFor({ state: 'hidden' });
}

/// Waits for `target`; when the purpose dialog comes first (a 428), answers it and waits on.
async function throughPurpose(page, target, purpose = PURPOSE) {
  const dialog = page.locator('#purpose-input');
  await Promise.race([dialog.waitFor({ state: 'visible' }), target.waitFor()]);
  if (await dialog.isVisible()) {
    await givePurpose(page, purpose);
    await target.waitFor();
    return true;
  }
  return false;
}

/// Basic accessibility of the page as it stands: one main landmark, one h1, every visible
/// form control labelled, every table with header cells, and no image-like control unnamed.
async function a11y(page, where) {
  const r = await page.evaluate(() => {
    const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
    const unlabelled = [...document.querySelectorAll('input, select, textarea')]
      .filter((el) => el.type !== 'hidden' && visible(el))
      .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
      .map((el) => el.outerHTML.slice(0, 80));
    const tablesWithoutHeaders = [...document.querySelectorAll('main table')].filter((t) => !t.querySelector('th')).length;
    const buttonsUnnamed = [...document.querySelectorAll('button')]
      .filter((b) => visible(b) && !(b.textContent ?? '').trim() && !b.getAttribute('aria-label') && !b.getAttribute('title'))
      .map((b) => b.outerHTML.slice(0, 80));
    return {
      mains: document.querySelectorAll('main').length,
      h1s: document.querySelectorAll('main h1').length,
      skip: !!document.querySelector('a.skip-link[href="#main"]'),
      lang: document.documentElement.lang,
      unlabelled,
      tablesWithoutHeaders,
      buttonsUnnamed,
    };
  });
  check(r.mains === 1, `${where}: ${r.mains} main landmarks`);
  check(r.h1s === 1, `${where}: ${r.h1s} h1 in main`);
  check(r.skip, `${where}: no skip link`);
  check(r.lang === 'sv' || r.lang === 'en', `${where}: html lang is "${r.lang}"`);
  check(r.unlabelled.length === 0, `${where}: unlabelled controls: ${r.unlabelled.join(' | ')}`);
  check(r.tablesWithoutHeaders === 0, `${where}: ${r.tablesWithoutHeaders} tables without header cells`);
  // MapLibre's own controls carry aria-labels; anything else unnamed is ours.
  check(r.buttonsUnnamed.length === 0, `${where}: unnamed buttons: ${r.buttonsUnnamed.join(' | ')}`);
  if (!(await page.evaluate(() => !!window.axe))) await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const res = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return res.violations.map((v) => ({ id: v.id, impact: v.impact, n: v.nodes.length, html: v.nodes[0]?.html?.slice(0, 120), summary: v.nodes[0]?.failureSummary?.split('\n').slice(0, 2).join(' ') }));
  });
  for (const v of violations) console.log(`    axe ${where}: ${v.impact} ${v.id} ×${v.n}: ${v.html} — ${v.summary}`);
  check(violations.length === 0, `${where}: ${violations.length} WCAG 2.1 AA violation(s) found by axe: ${violations.map((v) => v.id).join(', ')}`);
}

// ---- the journeys ------------------------------------------------------------------------

journey('login', async (browser) => {
  const page = await newPage(browser);
  await page.goto(`${BASE}/`);
  await page.locator('#login-user').waitFor();
  await a11y(page, 'login');
  // The skip link is the first stop of the keyboard and becomes visible on focus.
  await page.keyboard.press('Tab');
  check(await page.evaluate(() => document.activeElement?.classList.contains('skip-link')), 'Tab does not reach the skip link first');
  await shot(page, 'login');
  await page.locator('#login-user').fill('analytiker');
  await page.locator('#login-password').fill('wrong password');
  await page.getByRole('button', { name: /^Logga in$/ }).click();
  await page.getByText('Fel användarnamn eller lösenord.').waitFor();
  // By keyboard only: the failed login left the focus in the user name.
  check(await page.evaluate(() => document.activeElement?.id === 'login-user'), 'focus not back in the user name after a failed login');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('analytiker');
  await page.keyboard.press('Tab');
  check(await page.evaluate(() => document.activeElement?.id === 'login-password'), 'Tab does not lead to the password');
  await page.keyboard.type(USERS.analyst.password);
  await page.keyboard.press('Enter');
  await page.locator('nav[aria-label="Huvudmeny"]').waitFor();
  const links = await navLinks(page);
  check(links.includes('Sök') && links.includes('Nätverk') && links.includes('Karta'), `analyst's menu: ${links}`);
  check(!links.includes('Granskningslogg'), `analyst sees the audit log in the menu: ${links}`);
  await page.getByText('analytiker, Polisen Region Syd').waitFor();
  // English, kept across a reload.
  await page.locator('header select').selectOption('en');
  await page.locator('nav[aria-label="Main menu"]').getByRole('link', { name: 'Search' }).waitFor();
  await page.reload();
  await page.locator('nav[aria-label="Main menu"]').getByRole('link', { name: 'Search' }).waitFor();
  check((await page.evaluate(() => document.documentElement.lang)) === 'en', 'html lang not en after switching');
  await page.locator('nav[aria-label="Main menu"]').getByRole('link', { name: 'Search' }).click();
  await page.getByRole('heading', { name: 'Search', level: 1 }).waitFor();
  await a11y(page, 'search (English)');
  await page.locator('header select').selectOption('sv');
  await page.locator('nav[aria-label="Huvudmeny"]').waitFor();
  await page.context().close();
});

journey('search and entity', async (browser) => {
  const page = await newPage(browser);
  await login(page, 'analyst');
  await page.goto(`${BASE}/search`);
  await page.locator('#search-q').fill('säljer swish');
  await page.locator('form[role=search] button[type=submit]').click();
  // The session has no purpose yet: the search answers 428 and the app asks why.
  check(await throughPurpose(page, page.locator('ol.hits li').first(), 'spaning Östervång'), 'the search did not ask for a purpose');
  const marks = (await page.locator('ol.hits mark').allTextContents()).map((s) => s.toLowerCase());
  check(marks.length > 0, 'no highlighted matches');
  // Byte ranges read as bytes: every mark is a whole word that was searched for.
  const bad = marks.filter((m) => !/^(säljer|swish|swisha|sälj\w*|swish\w*)$/.test(m));
  check(bad.length === 0, `highlights cut in the wrong place: ${JSON.stringify(bad.slice(0, 5))}`);
  check(await page.locator('aside.facets fieldset').count() > 0, 'no facets');
  await a11y(page, 'search');
  await shot(page, 'search');
  // A facet narrows the hits.
  const facet = page.locator('aside.facets fieldset').first().locator('button').first();
  await facet.click();
  await page.locator('aside.facets button[aria-pressed="true"]').first().waitFor();
  await page.locator('ol.hits li, .results p').first().waitFor();

  // A person with a phone: the entity page and its "who else has this phone".
  await page.goto(`${BASE}/search?q=${encodeURIComponent('säljer swish')}`);
  await page.locator('ol.hits li').first().waitFor();
  await page.locator('ol.hits li h3 a').first().click();
  // The first entity of the session asks why.
  await page.getByText('Varför söker du? (ärendenummer eller syfte)').waitFor();
  check((await page.locator('#purpose-input').inputValue()) === 'spaning Östervång', 'the dialog does not offer the current purpose');
  await a11y(page, 'purpose dialog');
  await shot(page, 'purpose-dialog');
  await givePurpose(page);
  await page.locator('table.statements tbody tr').first().waitFor();
  const purposeShown = await page.locator('[data-testid=purpose] .purpose-value').textContent();
  check(purposeShown?.includes('5000-K123-26'), `purpose not shown in the header: ${purposeShown}`);
  const heads = await page.locator('table.statements thead th').allTextContents();
  for (const h of ['Källa', 'Organisation', 'Bedömning', 'Hanteringskod']) check(heads.includes(h), `entity table lacks ${h}: ${heads}`);
  await page.getByRole('heading', { name: 'Vem mer har detta telefonnummer eller konto?' }).waitFor();
  await a11y(page, 'entity');
  // The report names a person: follow the link (a second entity in the session does not ask
  // again), and see who else has the person's phone.
  const person = page.locator('section[aria-labelledby=links-title] table a[href^="/entity/"]').first();
  await person.waitFor();
  await person.click();
  await page.locator('table.statements tbody tr').first().waitFor();
  await page.waitForTimeout(300);
  check(!(await page.locator('#purpose-input').isVisible()), 'the purpose was asked again in the same session');
  const sharedRows = page.locator('section[aria-labelledby=shared-title] tbody tr');
  console.log(`    entity: ${await page.locator('h1').textContent()}, ${await sharedRows.count()} records share a key with it`);
  check((await sharedRows.count()) > 0, 'nobody else has the phone of the person the report names');
  // The purpose can be changed from the header at any time.
  await page.getByRole('button', { name: 'Ändra syfte' }).click();
  await givePurpose(page, PURPOSE + ' (uppföljning)');
  await page.locator('[data-testid=purpose] .purpose-value', { hasText: 'uppföljning' }).waitFor();
  await page.getByRole('button', { name: 'Ändra syfte' }).click();
  await givePurpose(page, PURPOSE);
  shared.entityUrl = page.url();
  shared.entityId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
  await shot(page, 'entity');
  check(page.errors.length === 0, `errors in the page: ${page.errors.join('\n')}`);
  await page.context().close();
});

journey('network', async (browser) => {
  const page = await newPage(browser);
  await login(page, 'analyst');
  // A chat account from a seized phone: its neighbours are the accounts it wrote with.
  await page.goto(`${BASE}/search?q=Telegram&schema=UserAccount`);
  await throughPurpose(page, page.locator('ol.hits li h3 a').first());
  await page.locator('ol.hits li h3 a').first().click();
  await throughPurpose(page, page.locator('table.statements tbody tr').first());
  await page.getByRole('link', { name: 'Visa i nätverket' }).click();
  const rows = page.locator('[data-testid=nodes-table] tbody tr');
  step('network from the account');
  await rows.first().waitFor();
  step('expand');
  const before = await rows.count();
  // Expand the best-connected node not yet expanded (the table is sorted by degree), by keyboard.
  const expandButtons = page.locator('[data-testid=nodes-table] tbody button:not([disabled])');
  check((await expandButtons.count()) > 0, 'nothing to expand');
  const label = await expandButtons.first().getAttribute('aria-label');
  await page.evaluate(() => (document.getElementById('live').textContent = ''));
  await expandButtons.first().focus();
  await page.keyboard.press('Enter');
  // Expanded: its button is disabled and the live region says how many nodes came.
  await page.locator(`[data-testid=nodes-table] button[aria-label="${label}"][disabled]`).waitFor();
  await page.waitForFunction(() => /nya noder/.test(document.getElementById('live')?.textContent ?? ''));
  console.log(`    network: ${before} nodes; ${label}: ${await page.locator('#live').textContent()}`);
  check((await rows.count()) >= before, 'nodes vanished on expanding');
  step('communities');
  // Communities and PageRank arrive from POST /network for the nodes on the canvas.
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=nodes-table] tbody tr td:nth-child(5)')].some((td) => td.textContent.trim() !== '–'));
  step('path');
  // A path between two nodes on the canvas.
  const ids = await page.locator('#net-ids option').evaluateAll((os) => os.map((o) => o.value));
  await page.locator('#path-from').fill(ids[ids.length - 1]);
  await page.locator('#path-to').fill(ids[ids.length - 2]);
  await page.getByRole('button', { name: 'Hitta kortaste väg' }).click();
  await page.locator('[data-testid=path-result]').waitFor();
  console.log(`    network: ${await page.locator('[data-testid=path-result]').textContent()}`);
  step('filter by link kind');
  const kinds = await page.locator('#net-prop option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
  check(kinds.length > 0, 'no link kinds to filter by');
  await page.locator('#net-prop').selectOption(kinds[0]);
  await page.locator('#net-from').fill('2026-01-01');
  await page.getByRole('button', { name: 'Visa', exact: true }).click();
  await page.waitForFunction(() => new URL(location.href).searchParams.get('prop') && new URL(location.href).searchParams.get('from') === '2026-01-01');
  await rows.first().waitFor();
  console.log(`    network: ${await rows.count()} nodes with links of kind ${kinds[0]} from 2026-01-01`);
  await page.waitForTimeout(500);
  await a11y(page, 'network');
  await shot(page, 'network');
  check(page.errors.length === 0, `errors in the page: ${page.errors.join('\n')}`);
  await page.context().close();
});

journey('map and dashboard (area officer)', async (browser) => {
  const page = await newPage(browser);
  await login(page, 'officer');
  const links = await navLinks(page);
  check(links.includes('Karta') && links.includes('Områdesöversikt') && links.includes('Sök'), `area officer's menu: ${links}`);
  check(!links.includes('Nätverk') && !links.includes('Granskningslogg') && !links.includes('Granskningskö'), `area officer sees too much: ${links}`);
  await page.goto(`${BASE}/map`);
  const dialog = page.locator('#purpose-input');
  const summary = page.locator('[data-testid=map-summary]');
  await Promise.race([dialog.waitFor({ state: 'visible' }), summary.waitFor()]);
  if (await dialog.isVisible()) await givePurpose(page, 'områdesuppföljning Östervång');
  await summary.waitFor();
  await page.locator('.hot-table tbody tr').first().waitFor();
  const hot = await page.locator('.hot-table tbody tr').count();
  check(hot > 0, 'no hotspot cells');
  console.log(`    map: ${await summary.textContent()}`);
  // The month slider narrows to one month.
  await page.locator('#map-month').focus();
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => /^\d{4}-\d{2}$/.test(document.getElementById('map-month-value')?.textContent ?? ''));
  await page.keyboard.press('Home');
  // Emerging hot spots: a layer and its table of categories (or the word that there are none).
  await page.getByLabel('Framväxande hotspots').check();
  await page.locator('table[aria-labelledby=emerging-title], .map-side p:text("Inga framväxande mönster.")').first().waitFor();
  console.log(`    map: emerging: ${(await page.locator('table[aria-labelledby=emerging-title] tbody tr').allTextContents()).join('; ') || 'none'}`);
  await page.waitForTimeout(1500); // the base map and layers drawn
  await a11y(page, 'map');
  await shot(page, 'map');

  await page.locator('nav[aria-label="Huvudmeny"]').getByRole('link', { name: 'Områdesöversikt' }).click();
  await page.locator('[data-testid=chart]').waitFor();
  const areaNames = await page.locator('#dash-area option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
  if (areaNames.includes('Östervång')) {
    await page.locator('#dash-area').selectOption('Östervång');
    await page.getByRole('heading', { name: 'Områdesöversikt: Östervång' }).waitFor();
    await page.locator('[data-testid=chart]').waitFor();
  } else console.log(`    dashboard: no Östervång among ${areaNames.length} areas`);
  await page.waitForTimeout(800);
  await a11y(page, 'dashboard');
  await shot(page, 'dashboard');
  check(page.errors.length === 0, `errors in the page: ${page.errors.join('\n')}`);
  await page.context().close();
});

journey('review queue', async (browser) => {
  const page = await newPage(browser);
  await login(page, 'analyst');
  await page.goto(`${BASE}/review`);
  const dialog = page.locator('#purpose-input');
  const first = page.locator('li.proposal').first();
  const empty = page.getByText('Kön är tom.');
  await Promise.race([dialog.waitFor({ state: 'visible' }), first.waitFor(), empty.waitFor()]);
  if (await dialog.isVisible()) await givePurpose(page);
  await Promise.race([first.waitFor(), empty.waitFor()]);
  await a11y(page, 'review');
  await shot(page, 'review');
  if (await first.isVisible()) {
    await first.getByRole('button', { name: 'Osäker' }).click();
    await page.getByText(/Bedömningen ”Osäker” är sparad/).waitFor();
  } else console.log('    review: the queue is empty');
  await page.context().close();
});

journey('partner observation', async (browser) => {
  const page = await newPage(browser);
  await login(page, 'partner');
  const links = await navLinks(page);
  check(links.length === 1 && links[0] === 'Partner', `partner's menu: ${links}`);
  await page.goto(`${BASE}/partner`);
  const dialog = page.locator('#purpose-input');
  const total = page.locator('[data-testid=grand-total]');
  const hidden = page.locator('[data-testid=aggregate-hidden]');
  await Promise.race([dialog.waitFor({ state: 'visible' }), total.waitFor(), hidden.waitFor()]);
  if (await dialog.isVisible()) await givePurpose(page, 'trygghetsarbete Malmö stad');
  await Promise.race([total.waitFor(), hidden.waitFor()]);
  const read = async () => (await total.isVisible() ? Number((await total.textContent())?.trim()) : NaN);
  const before = await read();
  console.log(`    partner: grand total before ${before}`);

  const t0 = Date.now();
  await page.getByLabel('Öppen försäljning').check();
  await page.locator('#obs-desc').fill('Två personer säljer vid busshållplatsen, byter påsar.');
  const map = page.locator('[data-testid=partner-map] canvas');
  if (await map.count()) {
    await page.waitForTimeout(1000);
    const box = await map.boundingBox();
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForFunction(() => document.getElementById('obs-lat')?.value !== '');
  }
  // Typed coordinates win: Östervång, where the simulated scene is.
  await page.locator('#obs-lat').fill('55,5778');
  await page.locator('#obs-lon').fill('13.0222');
  await page.locator('#obs-place').fill('Östervång');
  await page.getByLabel('Säker').check();
  await page.getByRole('button', { name: 'Skicka observationen' }).click();
  await page.locator('[data-testid=obs-sent]').waitFor();
  console.log(`    partner: observation sent in ${((Date.now() - t0) / 1000).toFixed(1)} s of the test's typing`);
  if (Number.isFinite(before)) {
    await page.waitForFunction((b) => Number(document.querySelector('[data-testid=grand-total]')?.textContent?.trim()) === b + 1, before);
  } else {
    await total.waitFor();
  }
  console.log(`    partner: grand total after ${await read()}`);
  check(await page.locator('table.aggregate tbody tr.highlight').count() === 1, 'the area of the observation is not marked in the table');
  await a11y(page, 'partner');
  await shot(page, 'partner');

  // Another organisation's record: not found, or forbidden, never its content.
  if (shared.entityId) {
    await page.goto(`${BASE}/entity/${encodeURIComponent(shared.entityId)}`);
    const problem = page.locator('[data-problem]');
    await Promise.race([dialog.waitFor({ state: 'visible' }), problem.waitFor()]);
    if (await dialog.isVisible()) await givePurpose(page, 'trygghetsarbete Malmö stad');
    await problem.waitFor();
    const kind = await problem.getAttribute('data-problem');
    check(kind === 'not-found' || kind === 'forbidden', `partner opening a police record got "${kind}"`);
    check((await page.locator('table.statements').count()) === 0, 'the partner sees the statements');
    await shot(page, 'partner-forbidden');
  }
  check(page.errors.filter((e) => !/status of 40[34]/.test(e)).length === 0, `errors in the page: ${page.errors.join('\n')}`);
  await page.context().close();
});

journey('audit', async (browser) => {
  const page = await newPage(browser);
  await login(page, 'auditor');
  const links = await navLinks(page);
  check(links.length === 1 && links[0] === 'Granskningslogg', `auditor's menu: ${links}`);
  check(shared.entityId, 'no entity from the search journey');
  await page.goto(`${BASE}/audit`);
  // The latest entries load at once, and ask for a purpose first.
  await throughPurpose(page, page.locator('[data-testid=audit-table]'), 'tillsyn av åtkomster');
  await page.locator('#audit-entity').fill(shared.entityId);
  await page.locator('#audit-user').fill('analytiker');
  await page.getByRole('button', { name: 'Visa poster' }).click();
  const table = page.locator('[data-testid=audit-table]');
  // The filtered answer: every entry names the entity (the ids column marks it).
  await page.waitForFunction((id) => {
    const rows = [...document.querySelectorAll('[data-testid=audit-table] tbody tr')];
    return new URL(location.href).searchParams.get('entity') === id && rows.length > 0 && rows.every((r) => r.querySelector('mark'));
  }, shared.entityId);
  const rows = await table.locator('tbody tr').allTextContents();
  const hit = rows.find((r) => r.includes('analytiker') && r.includes(shared.entityId.slice(0, 20)));
  check(hit, `no entry naming analytiker and ${shared.entityId}: ${rows.slice(0, 3).join(' | ')}`);
  check(rows.some((r) => r.includes('5000-K123-26')), 'the analyst\'s purpose is not in the entries');
  await page.getByRole('button', { name: 'Verifiera kedjan' }).click();
  await page.locator('[data-testid=audit-verify]').waitFor();
  await a11y(page, 'audit');
  await shot(page, 'audit');
  // Logging out ends the session: the login form again, and the API says 401.
  await page.getByRole('button', { name: 'Logga ut' }).click();
  await page.locator('#login-user').waitFor();
  const status = await page.evaluate(async () => (await fetch('/api/v1/session', { credentials: 'same-origin' })).status);
  check(status === 401, `after logging out GET /session answers ${status}`);
  check(page.errors.length === 0, `errors in the page: ${page.errors.join('\n')}`);
  await page.context().close();
});

// ---- run ---------------------------------------------------------------------------------

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: process.env.HEADFUL !== '1',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-quic',
    '--no-first-run',
    '--disable-component-update',
    '--disable-sync',
  ],
});
let failed = 0;
const only = process.env.ONLY;
console.log(`browser journeys against ${BASE}`);
for (const j of journeys) {
  if (only && !j.name.includes(only)) continue;
  const t0 = Date.now();
  step('start');
  try {
    await j.fn(browser);
    console.log(`ok   ${j.name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  } catch (e) {
    failed++;
    const msg = String(e?.message ?? e).split('\n').filter((l) => !/^\s*(\x1b\[2m)?\s*-/.test(l)).join('\n     ');
    console.log(`FAIL ${j.name} (${((Date.now() - t0) / 1000).toFixed(1)} s) at "${currentStep}"\n     ${msg}`);
    for (const ctx of browser.contexts()) {
      for (const p of ctx.pages()) {
        await p.screenshot({ path: join(OUT, `FAILED-${j.name.replace(/\W+/g, '-')}.png`) }).catch(() => {});
        if (p.errors?.length) console.log(`     page errors:\n       ${p.errors.join('\n       ')}`);
      }
      await ctx.close().catch(() => {});
    }
  }
}
await browser.close();
console.log(failed ? `${failed} journey(s) failed; screenshots in ${OUT}` : `all journeys passed; screenshots in ${OUT}`);
process.exit(failed ? 1 : 0);
