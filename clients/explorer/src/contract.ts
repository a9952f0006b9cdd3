/**
 * A contract's part of its address page: its ABI (methods, events, types) and a form per method
 * to view it (a dry run) or call it in a transaction signed in the page by a dev account.
 */

import { type AbiMethod, type AbiType, type ContractAbi, Contract, type DevAccount, type WeftClient, Wallet } from "@weft/client";

import { h, json } from "./dom.js";

/** The contract section of the address page. */
export function contractSection(client: WeftClient, address: string, abi: ContractAbi | null, devs: DevAccount[]): HTMLElement {
  if (!abi) {
    return h("section", { id: "contract" }, h("p", { class: "muted" }, "This contract has no weft_abi section: call it with SCALE bytes (weft call)."));
  }
  const contract = new Contract(client, address, abi);
  const methods = abi.methods.filter((m) => !m.init && !m.migrate);
  return h(
    "div",
    { id: "contract" },
    h("h2", {}, `Contract ${abi.contract ?? ""}`),
    h("section", { id: "methods" }, methods.map((m) => methodForm(contract, m, devs))),
    abi.events.length
      ? [h("h2", {}, "Events"), h("section", { id: "abi-events" }, abi.events.map((e) => h("div", {}, h("code", {}, e.signature), e.fields.some((f) => f.indexed) ? h("span", { class: "muted" }, ` · indexed: ${e.fields.filter((f) => f.indexed).map((f) => f.name).join(", ")}`) : null)))]
      : null,
    abi.types.length
      ? [h("h2", {}, "Types"), h("section", { id: "abi-types" }, abi.types.map((t) => h("div", {}, h("code", {}, `${t.name} ${"struct" in t.shape ? "struct" : "enum"}`))))]
      : null,
  );
}

/** A form input's text as the JS value of its ABI type (a dev name is taken for an address). */
function parseInput(text: string, ty: AbiType | undefined, devs: Map<string, string>): unknown {
  const t = text.trim();
  switch (ty?.kind) {
    case "int":
      return t;
    case "string":
      return text;
    case "address":
      return devs.get(t.toLowerCase()) ?? t;
    case "hash":
      return t;
    case "bool":
      if (t === "true" || t === "false") return t === "true";
      break;
    case "vec":
    case "array":
      if (t.startsWith("0x")) return t;
  }
  try {
    return JSON.parse(t);
  } catch {
    return t;
  }
}

function methodForm(contract: Contract, m: AbiMethod, devs: DevAccount[]): HTMLElement {
  const out = h("output", { class: "result" });
  const inputs = m.args.map((a) => h("input", { name: a.name, placeholder: a.type, autocomplete: "off", spellcheck: "false" }));
  const value = m.payable ? h("input", { name: "__value", placeholder: "value (u128)", autocomplete: "off" }) : null;
  const signer = h("select", { name: "__signer", "aria-label": "signer" }, devs.map((d) => h("option", { value: d.name }, d.name)));
  const names = new Map(devs.map((d) => [d.name, d.address]));
  const args = () => m.args.map((a, i) => parseInput(inputs[i]!.value, a.ty, names));
  const report = async (work: () => Promise<string>) => {
    out.className = "result";
    out.textContent = "…";
    try {
      out.textContent = await work();
    } catch (error) {
      out.className = "result error";
      out.textContent = (error as Error).message;
    }
  };
  const viewButton = h("button", { type: "submit", class: "view" }, "View");
  const sendButton = h("button", { type: "button", class: "secondary send", disabled: devs.length === 0 }, "Send");
  sendButton.addEventListener("click", () =>
    void report(async () => {
      const key = devs.find((d) => d.name === signer.value)?.secret_key;
      if (!key) throw new Error("no dev account to sign with (not a devnet?)");
      const outcome = await contract.call(Wallet.fromSecretKey(key), m.name, args(), value?.value ? { value: value.value.trim() } : {});
      const events = outcome.events.map((e) => `${e.name} ${json(e.fields)}`);
      return [`${outcome.receipt.status} in block ${outcome.receipt.block_height}, gas ${outcome.receipt.gas_used}`, `result: ${json(outcome.result)}`, ...events, `tx ${outcome.receipt.tx_hash}`].join("\n");
    }),
  );
  const form = h(
    "form",
    { class: "method", "data-method": m.name },
    h("div", {}, h("code", { class: "event-name" }, `${m.name}(${m.args.map((a) => `${a.name}: ${a.type}`).join(", ")})${m.returns ? ` → ${m.returns}` : ""}`), m.payable ? h("span", { class: "muted" }, " payable") : null, m.undescribed ? h("span", { class: "muted" }, ` · undescribed: ${m.undescribed}`) : null),
    m.args.map((a, i) => h("label", {}, h("span", { class: "mono" }, a.name), inputs[i])),
    value ? h("label", {}, h("span", { class: "mono" }, "value"), value) : null,
    h("div", { class: "actions" }, viewButton, sendButton, devs.length ? ["as ", signer] : null),
    out,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void report(async () => json(await contract.view(m.name, args(), value?.value ? { value: value.value.trim() } : {})));
  });
  if (m.undescribed) {
    viewButton.disabled = true;
    sendButton.disabled = true;
  }
  return form;
}
