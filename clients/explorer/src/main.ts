/**
 * The Weft devnet explorer: a single page served by the node at `/`, reading the chain through
 * `@weft/client` over the same port (JSON-RPC on POST, live heads over WebSocket). Routes live in
 * the URL's fragment: `#/`, `#/block/N|HASH`, `#/tx/HASH`, `#/address/ADDR`, `#/search/TEXT`.
 */

import { type Block, type Contract, type ContractAbi, type DevAccount, type Subscription, WeftClient } from "@weft/client";

import { type Child, fields, h, json, link, short, status, table, time } from "./dom.js";
import { contractSection } from "./contract.js";

const client = new WeftClient(location.origin);
const view = document.getElementById("view")!;
const abis = new Map<string, Promise<ContractAbi | null>>();
let devAccounts: Promise<DevAccount[]> | undefined;
let live: Subscription | undefined;

/** The ABI of the contract at `address` (`null` for an account), fetched once. */
function abiOf(address: string): Promise<ContractAbi | null> {
  let found = abis.get(address);
  if (!found) {
    found = client.contract(address).then(
      (c: Contract) => c.abi,
      () => null,
    );
    abis.set(address, found);
  }
  return found;
}

/** The devnet's accounts (empty on a node that is not a devnet). */
function accounts(): Promise<DevAccount[]> {
  devAccounts ??= client.devAccounts().catch(() => []);
  return devAccounts;
}

function show(title: string, ...content: (Child | Child[])[]) {
  view.replaceChildren(h("h1", {}, title));
  for (const part of content.flat()) {
    if (part !== null && part !== undefined && part !== false) view.append(part instanceof Node ? part : String(part));
  }
}

/** A page to show: its title and content, rendered by `route` if it is still the current route. */
type Page = { title: string; content: (Child | Child[])[] };

const page = (title: string, ...content: (Child | Child[])[]): Page => ({ title, content });

const blockRow = (b: Block) => [
  link(`block/${b.height}`, b.height),
  short(b.hash),
  b.transactions.length,
  b.gas_used.toLocaleString(),
  time(b.timestamp),
];

async function home(): Promise<Page> {
  const head = await client.blockNumber();
  const heights = Array.from({ length: Math.min(head + 1, 15) }, (_, i) => head - i);
  const blocks = (await Promise.all(heights.map((n) => client.getBlock(n, true)))).filter((b): b is Block => b !== null);
  const body = h("tbody");
  const rows = table(["Height", "Hash", "Txs", "Gas used", "Time"], [], [1, 4]);
  rows.querySelector("table")!.append(body);
  for (const b of blocks) body.append(h("tr", {}, blockRow(b).map((c, i) => h("td", { class: i === 1 || i === 4 ? "hide-narrow" : undefined }, c))));
  const txs = blocks.flatMap((b) => b.full_transactions ?? []).slice(0, 15);
  live = await client.subscribeNewHeads((b) => {
    body.prepend(h("tr", { class: "new" }, blockRow(b).map((c, i) => h("td", { class: i === 1 || i === 4 ? "hide-narrow" : undefined }, c))));
    while (body.children.length > 15) body.lastElementChild!.remove();
    setChain(b.height);
  });
  return page(
    "Latest blocks",
    h("section", { id: "latest-blocks" }, h("p", { class: "muted" }, h("span", { class: "live" }), "live: new blocks appear as they are made"), rows),
    h("h2", {}, "Latest transactions"),
    h(
      "section",
      { id: "latest-transactions" },
      txs.length === 0
        ? h("p", { class: "muted" }, "No transactions yet.")
        : table(
            ["Hash", "Kind", "From", "To", "Block"],
            txs.map((t) => [link(`tx/${t.hash}`, short(t.hash)), t.method ? `${t.kind} ${t.method}` : t.kind, link(`address/${t.from}`, short(t.from)), t.to ? link(`address/${t.to}`, short(t.to)) : "—", link(`block/${t.block_height}`, t.block_height)]),
            [2],
          ),
    ),
  );
}

async function block(id: string): Promise<Page> {
  const b = /^[0-9]+$/.test(id) ? await client.getBlock(Number(id), true) : await client.getBlockByHash(id, true);
  if (!b) return notFound(`block ${id}`);
  const txs = b.full_transactions ?? [];
  return page(
    `Block ${b.height}`,
    h(
      "section",
      { id: "block" },
      fields([
        ["Hash", h("code", {}, b.hash)],
        ["Parent", b.height > 0 ? link(`block/${b.height - 1}`, h("code", {}, b.parent_hash)) : h("code", {}, b.parent_hash)],
        ["Time", `${time(b.timestamp)} (${b.timestamp})`],
        ["Gas used", `${b.gas_used.toLocaleString()} of ${b.gas_limit.toLocaleString()}`],
        ["State root", h("code", {}, b.state_root)],
        ["Transactions root", h("code", {}, b.tx_root)],
        ["Receipts root", h("code", {}, b.receipt_root)],
        ["Finalization", b.finalization ? h("code", {}, b.finalization.slice(0, 66) + "…") : h("span", { class: "muted" }, "none (devnet)")],
      ]),
    ),
    h("h2", {}, `Transactions (${txs.length})`),
    h(
      "section",
      { id: "block-transactions" },
      txs.length === 0
        ? h("p", { class: "muted" }, "None.")
        : table(
            ["#", "Hash", "Kind", "From", "To", "Value"],
            txs.map((t) => [t.index, link(`tx/${t.hash}`, h("code", {}, t.hash)), t.method ? `${t.kind} ${t.method}` : t.kind, link(`address/${t.from}`, short(t.from)), t.to ? link(`address/${t.to}`, short(t.to)) : "—", t.value]),
            [3, 5],
          ),
    ),
    h("p", {}, link(`block/${b.height + 1}`, "next block →")),
  );
}

async function transaction(hash: string): Promise<Page> {
  const [tx, receipt, trace] = await Promise.all([client.getTransaction(hash), client.getReceipt(hash), client.traceTransaction(hash).catch(() => null)]);
  if (!tx || !receipt) return notFound(`transaction ${hash}`);
  const abi = tx.to ? await abiOf(tx.to) : null;
  let result: Child = h("code", {}, receipt.return_data);
  if (abi && tx.method && receipt.status === "success") {
    try {
      result = h("code", { class: "decoded" }, json(abi.decodeResult(tx.method, receipt.return_data)));
    } catch {
      // Undescribed: the bytes stay as they are.
    }
  }
  const events = await Promise.all(
    receipt.events.map(async (e) => {
      const emitter = await abiOf(e.address);
      let decoded: ReturnType<ContractAbi["decodeEvent"]> = null;
      try {
        decoded = emitter?.decodeEvent(e) ?? null;
      } catch {
        decoded = null;
      }
      return h(
        "div",
        { class: "card event" },
        h("div", {}, h("span", { class: "event-name" }, decoded?.name ?? "event"), " from ", link(`address/${e.address}`, short(e.address)), h("span", { class: "muted" }, ` · log ${e.log_index}`)),
        decoded
          ? fields(Object.entries(decoded.fields).map(([k, v]) => [k, typeof v === "string" && /^0x[0-9a-f]{64}$/.test(v) ? link(`address/${v}`, h("code", {}, v)) : h("code", {}, json(v))]))
          : fields([...e.topics.map((t, i): [string, Child] => [`topic ${i}`, h("code", {}, t)]), ["data", h("code", {}, e.data)]]),
      );
    }),
  );
  return page(
    "Transaction",
    h(
      "section",
      { id: "transaction" },
      fields([
        ["Hash", h("code", {}, tx.hash)],
        ["Status", status(receipt.status)],
        ["Block", [link(`block/${tx.block_height}`, `${tx.block_height}`), ` (index ${tx.index})`]],
        ["From", link(`address/${tx.from}`, h("code", {}, tx.from))],
        ["Kind", tx.kind],
        ...(tx.to ? [["To", link(`address/${tx.to}`, h("code", {}, tx.to))] as [string, Child]] : []),
        ...(tx.method ? [["Method", h("code", {}, tx.method)] as [string, Child]] : []),
        ["Value", tx.value],
        ["Nonce", tx.nonce],
        ["Gas", `${receipt.gas_used.toLocaleString()} used of ${tx.gas_limit.toLocaleString()} at price ${tx.gas_price}`],
        ...(receipt.contract_address ? [["Created", link(`address/${receipt.contract_address}`, h("code", {}, receipt.contract_address))] as [string, Child]] : []),
        ...(receipt.trap ? [["Trap", receipt.trap]] as [string, Child][] : []),
        [receipt.status === "revert" ? "Revert data" : "Result", result],
      ]),
    ),
    h("h2", {}, `Events (${receipt.events.length})`),
    h("div", { id: "events" }, events.length ? events : h("p", { class: "muted" }, "None.")),
    h("h2", {}, "Call trace"),
    h("section", { id: "trace" }, trace?.calls ? traceTree(trace.calls) : h("p", { class: "muted" }, trace ? "No code ran." : "No trace kept for this transaction.")),
    receipt.logs.length ? [h("h2", {}, "Log lines"), h("section", {}, h("output", {}, receipt.logs.join("\n")))] : null,
  );
}

type Frame = NonNullable<NonNullable<Awaited<ReturnType<WeftClient["traceTransaction"]>>>["calls"]>;

function traceTree(frame: Frame): HTMLElement {
  return h(
    "ul",
    { class: "trace" },
    h(
      "li",
      {},
      h("div", {}, h("strong", {}, `${frame.kind} ${frame.entry}`), " on ", link(`address/${frame.contract}`, short(frame.contract)), " · ", status(frame.status), h("span", { class: "muted" }, ` · gas ${frame.gas_used.toLocaleString()} / ${frame.gas_limit.toLocaleString()}`), frame.trap ? ` · ${frame.trap}` : null),
      frame.host_calls.length ? h("div", { class: "muted" }, "host: ", frame.host_calls.map((c) => `${c.name}×${c.count}`).join(", ")) : null,
      frame.steps.map((step) =>
        step.type === "frame" ? traceTree(step) : step.type === "log" ? h("div", { class: "muted" }, `log: ${step.line}`) : h("div", { class: "muted" }, `event (${step.topics.length} topics, ${(step.data.length - 2) / 2} bytes)`),
      ),
    ),
  );
}

async function address(addr: string): Promise<Page> {
  const [balance, nonce, pending, code] = await Promise.all([client.getBalance(addr), client.getNonce(addr), client.getPendingNonce(addr), client.getCode(addr)]);
  const named = (await accounts()).find((a) => a.address === addr);
  return page(
    named ? `Account ${named.name}` : code ? "Contract" : "Account",
    h(
      "section",
      { id: "account" },
      fields([
        ["Address", h("code", {}, addr)],
        ["Balance", h("span", { id: "balance" }, balance.toString())],
        ["Nonce", `${nonce}${pending !== nonce ? ` (${pending} with pending)` : ""}`],
        ["Code", code ? `${code.length.toLocaleString()} bytes` : h("span", { class: "muted" }, "none")],
      ]),
    ),
    code ? contractSection(client, addr, await abiOf(addr), await accounts()) : null,
  );
}

async function search(text: string): Promise<Page | null> {
  const q = text.trim();
  if (/^[0-9]+$/.test(q)) return go(`block/${q}`);
  const dev = (await accounts()).find((a) => a.name === q.toLowerCase());
  if (dev) return go(`address/${dev.address}`);
  if (/^0x[0-9a-fA-F]{64}$/.test(q)) {
    const hex = q.toLowerCase();
    if (await client.getTransaction(hex)) return go(`tx/${hex}`);
    if (await client.getBlockByHash(hex)) return go(`block/${hex}`);
    return go(`address/${hex}`);
  }
  return notFound(`"${q}": not a height, a 32-byte hash or address, or a dev account name`);
}

function notFound(what: string): Page {
  return page("Not found", h("section", {}, h("p", {}, `Nothing found for ${what}.`)));
}

/** Moves to `route`; its own `route()` run renders it (`null`: nothing for the caller to show). */
function go(route: string): null {
  location.hash = `#/${route}`;
  return null;
}

function setChain(height: number) {
  void client.chainId().then((id) => {
    document.getElementById("chain")!.textContent = `chain ${id} · head ${height}`;
  });
}

/** Counts `route()` runs: a run whose pages took longer than a later one's does not overwrite it. */
let routes = 0;

async function route() {
  const current = ++routes;
  const [name = "", ...rest] = location.hash.replace(/^#\/?/, "").split("/");
  const arg = decodeURIComponent(rest.join("/"));
  await live?.unsubscribe().catch(() => undefined);
  live = undefined;
  view.setAttribute("aria-busy", "true");
  let shown: Page | null;
  try {
    if (name === "") shown = await home();
    else if (name === "block") shown = await block(arg);
    else if (name === "tx") shown = await transaction(arg.toLowerCase());
    else if (name === "address") shown = await address(arg.toLowerCase());
    else if (name === "search") shown = await search(arg);
    else shown = notFound(location.hash);
  } catch (error) {
    shown = page("Error", h("section", {}, h("output", { class: "error" }, String((error as Error).message ?? error))));
  }
  if (current !== routes) return;
  if (shown) show(shown.title, ...shown.content);
  view.removeAttribute("aria-busy");
}

document.getElementById("search")!.addEventListener("submit", (event) => {
  event.preventDefault();
  const input = (event.target as HTMLFormElement).elements.namedItem("q") as HTMLInputElement;
  if (input.value.trim()) go(`search/${encodeURIComponent(input.value.trim())}`);
});
window.addEventListener("hashchange", () => void route());
void client.blockNumber().then(setChain, () => undefined);
void route();
