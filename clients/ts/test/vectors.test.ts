// The signer against docs/ENCODING.md's test vector: the same table the Rust code is checked
// against (chain/src/dev.rs), so the two signers are byte-identical.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { Wallet, encodeTransaction, fromHex, signingHash, toHex } from "../src/index.js";

const doc = readFileSync(new URL("../../../../docs/ENCODING.md", import.meta.url), "utf8");
const vector = new Map(
  [...doc.matchAll(/^\| ([a-zA-Z() ]+) \| `(0x[0-9a-f]+)` \|$/gm)].map((m) => [m[1]!, m[2]!] as const),
);
const value = (name: string) => {
  const found = vector.get(name);
  assert.ok(found, `docs/ENCODING.md has no \`${name}\` row`);
  return found;
};

test("the encoding document's vector is what this client signs", () => {
  const alice = Wallet.fromSecretKey(value("secret key"));
  assert.equal(alice.publicKey, value("public key"));
  assert.equal(alice.address, value("sender address"));
  const tx = {
    chainId: 1337,
    signer: alice.publicKey,
    nonce: 0,
    gasLimit: 100_000,
    gasPrice: 1n,
    value: 1n,
    action: { kind: "transfer", to: value("recipient address") },
  } as const;
  assert.equal(toHex(encodeTransaction(tx)), value("SCALE(transaction)"));
  assert.equal(toHex(signingHash(tx)), value("signing hash"));
  const signed = alice.sign(tx);
  assert.equal(toHex(signed.bytes), value("SCALE(signed transaction)"));
  assert.equal(toHex(signed.bytes.subarray(-64)), value("signature"));
  assert.equal(signed.hash, value("transaction hash"));
});

test("every action encodes with its index and fields in order", () => {
  const base = { chainId: 1, signer: new Uint8Array(32), nonce: 0, gasLimit: 0, gasPrice: 0, value: 0 };
  const head = toHex(encodeTransaction({ ...base, action: { kind: "upload", code: "0x" } })).length;
  const action = (a: Parameters<typeof encodeTransaction>[0]["action"]) =>
    "0x" + toHex(encodeTransaction({ ...base, action: a })).slice(head - 4);
  const key = "0x" + "11".repeat(32);
  // Deploy: code and init args with compact lengths, then the salt (default zero).
  assert.equal(action({ kind: "deploy", code: "0x0061", initArgs: "0x07" }), "0x00080061" + "0407" + "00".repeat(32));
  // Call: the callee, the method as a String, the args.
  assert.equal(action({ kind: "call", to: key, method: "mint", args: "0x01" }), "0x01" + "11".repeat(32) + "106d696e74" + "0401");
  assert.equal(action({ kind: "transfer", to: key }), "0x02" + "11".repeat(32));
  assert.equal(action({ kind: "upload", code: "0xff" }), "0x0304ff");
  assert.equal(action({ kind: "instantiate", codeHash: key, salt: key }), "0x04" + "11".repeat(32) + "00" + "11".repeat(32));
  assert.throws(() => action({ kind: "transfer", to: "0x11" }), /to must be 32 bytes/);
  assert.throws(() => fromHex("0x1"), /not 0x hex/);
});
