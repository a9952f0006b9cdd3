// The explorer page in a real headless Chromium against a real `weft node --dev --ephemeral`:
// the node serves the page, the page reads blocks, a transaction with its decoded event, and
// an address whose ABI-driven forms view and send.

import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";

import puppeteer from "puppeteer-core";

import { Wallet, WeftClient } from "../../ts/dist/src/index.js";
import { startNode } from "../../ts/dist/test/support/node.js";

const chromium = process.env.CHROMIUM ?? "/usr/bin/chromium";
const tokenWasm = readFileSync(new URL("../../../contracts/artifacts/token.wasm", import.meta.url));
const screenshots = new URL("../screenshots/", import.meta.url).pathname;

let node;
let client;
let browser;
let page;
let profile;
let token;
let transfer;
let alice;
let bob;

before(async () => {
  assert.ok(existsSync(chromium), `no Chromium at ${chromium}: install Debian's chromium or set CHROMIUM`);
  node = await startNode();
  client = new WeftClient(node.url);
  const accounts = await client.devAccounts();
  alice = Wallet.fromSecretKey(accounts[0].secret_key);
  bob = accounts[1];
  token = await client.deploy(alice, tokenWasm, { args: ["Weft", "WFT", 6, 1_000_000n] });
  transfer = await token.call(alice, "transfer", [bob.address, 250n]);
  assert.equal(transfer.receipt.status, "success");
  profile = mkdtempSync(join(tmpdir(), "weft-explorer-"));
  browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    userDataDir: profile,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  page = await browser.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("console", (message) => message.type() === "error" && problems.push(message.text()));
  page.problems = problems;
  await page.setViewport({ width: 1280, height: 900 });
});

after(async () => {
  await browser?.close();
  client?.close();
  await node?.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function open(route) {
  await page.goto(`${node.url}/#/${route}`, { waitUntil: "load" });
}

async function textOf(selector) {
  await page.waitForSelector(selector, { timeout: 15_000 });
  return page.$eval(selector, (e) => e.textContent ?? "");
}

/** Waits until `predicate(text of #view)` holds, failing with the page's text if it does not. */
async function untilView(predicate, what, ...args) {
  try {
    await page.waitForFunction(predicate, { timeout: 15_000 }, ...args);
  } catch {
    assert.fail(`${what}; the page shows: ${await page.$eval("#view", (e) => e.innerText)} (at ${page.url()})`);
  }
}

async function shoot(name, on = page) {
  mkdirSync(screenshots, { recursive: true });
  await on.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
}

test("the home page lists the latest blocks, the transfer's block among them", async () => {
  await open("");
  const height = transfer.receipt.block_height;
  await page.waitForFunction((h) => document.querySelector("#latest-blocks")?.textContent?.includes(`${h}`), { timeout: 15_000 }, height);
  assert.match(await textOf("#chain"), /\S/, "the header names the chain");
  // A block made while the page is open appears without a reload (weft_subscribe newHeads).
  const next = await client.send(alice, { action: { kind: "transfer", to: bob.address }, value: 1n });
  const made = (await next.wait()).block_height;
  await untilView((h) => document.querySelector("#latest-blocks tbody tr")?.textContent?.startsWith(`${h}`), `block ${made} appears live`, made);
  await shoot("home-desktop");
});

test("a block page lists its transaction, and the transaction page decodes its event", async () => {
  await open(`block/${transfer.receipt.block_height}`);
  assert.ok((await textOf("#block-transactions")).includes(transfer.receipt.tx_hash), "the block lists the transfer");
  await shoot("block-desktop");
  await open(`tx/${transfer.receipt.tx_hash}`);
  await page.waitForFunction(() => document.querySelector("#events")?.textContent?.includes("Transfer"), { timeout: 15_000 });
  const events = await textOf("#events");
  assert.match(events, /Transfer/);
  assert.match(events, /250/, "the decoded amount");
  await shoot("transaction-desktop");
});

test("the address page views and sends through the contract's ABI", async () => {
  await open(`address/${token.address}`);
  const form = 'form.method[data-method="balance_of"]';
  await page.waitForSelector(form, { timeout: 15_000 });
  await page.type(`${form} input[name="owner"]`, "bob");
  await page.click(`${form} button.view`);
  await page.waitForFunction((f) => /\d/.test(document.querySelector(`${f} output.result`)?.textContent ?? ""), { timeout: 15_000 }, form);
  assert.equal((await textOf(`${form} output.result`)).trim(), "250");

  const send = 'form.method[data-method="transfer"]';
  await page.type(`${send} input[name="to"]`, "bob");
  await page.type(`${send} input[name="amount"]`, "5");
  await page.click(`${send} button.send`);
  await page.waitForFunction((f) => /success|revert|error|fail/i.test(document.querySelector(`${f} output.result`)?.textContent ?? ""), { timeout: 30_000 }, send);
  const sent = await textOf(`${send} output.result`);
  assert.match(sent, /^success in block \d+/, sent);
  assert.match(sent, /Transfer/);
  assert.equal(await token.view("balance_of", [bob.address]), 255n, "the page's send reached the chain");
  await shoot("address-desktop");

  // A phone-sized screen in its own tab (changing `isMobile` reloads a page).
  const phone = await browser.newPage();
  await phone.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true });
  await phone.goto(`${node.url}/#/address/${token.address}`, { waitUntil: "load" });
  await phone.waitForSelector(form, { timeout: 15_000 });
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the page fits a 390 px screen (overflows by ${overflow} px)`);
  await shoot("address-mobile", phone);
  await phone.close();
});

test("the search box finds an account by dev name, a block by height and a transaction by hash", async () => {
  const search = async (text) => {
    await page.$eval("#search input", (input) => (input.value = ""));
    await page.type("#search input", text);
    await page.click("#search button");
  };
  await open("");
  await search("bob");
  await untilView(() => document.querySelector("#view h1")?.textContent === "Account bob", "bob's account page");
  assert.ok((await textOf("#account")).includes(bob.address));
  await shoot("account-desktop");
  await search(`${transfer.receipt.block_height}`);
  await untilView((h) => document.querySelector("#view h1")?.textContent === `Block ${h}`, "the block page", transfer.receipt.block_height);
  await search(transfer.receipt.tx_hash);
  await untilView((hash) => document.querySelector("#view")?.textContent?.includes(hash) && document.querySelector("#events") !== null, "the transaction page", transfer.receipt.tx_hash);
});

test("a slow page does not overwrite a later one, an unknown route says so, and no errors were raised", async () => {
  // The address page (several requests) is left at once for a transaction that does not exist.
  await open(`address/${token.address}`);
  await open("tx/0x" + "00".repeat(32));
  await untilView(() => /not found/i.test(document.querySelector("#view")?.textContent ?? ""), "an unknown transaction is not found");
  assert.deepEqual(page.problems, []);
});
