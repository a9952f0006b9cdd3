// The client against a real `weft node --dev --ephemeral` over its HTTP and WebSocket RPC.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";

import {
  AbiError,
  type Block,
  type Contract,
  ExecutionError,
  type Log,
  RpcCode,
  RpcError,
  TransportError,
  Wallet,
  WeftClient,
} from "../src/index.js";
import { type DevNode, startNode } from "./support/node.js";

const tokenWasm = readFileSync(new URL("../../../../contracts/artifacts/token.wasm", import.meta.url));

let node: DevNode;
let client: WeftClient;
let alice: Wallet;
let bob: Wallet;
let token: Contract;

before(async () => {
  node = await startNode();
  client = new WeftClient(node.url);
  const accounts = await client.devAccounts();
  alice = Wallet.fromSecretKey(accounts[0]!.secret_key);
  bob = Wallet.fromSecretKey(accounts[1]!.secret_key);
  assert.equal(alice.address, accounts[0]!.address, "the client derives the node's addresses");
  token = await client.deploy(alice, tokenWasm, { args: ["Weft", "WFT", 18, 1_000_000n] });
});

after(async () => {
  client?.close();
  await node?.stop();
});

test("a deployed token is read and called through its ABI", async () => {
  assert.equal(await token.view("name"), "Weft");
  assert.equal(await token.view("decimals"), 18);
  assert.equal(await token.view("balance_of", [alice.address]), 1_000_000n);
  const outcome = await token.call(alice, "transfer", [bob.address, 250n]);
  assert.equal(outcome.receipt.status, "success");
  assert.equal(outcome.result, true);
  assert.deepEqual(outcome.events, [{ name: "Transfer", fields: { from: alice.address, to: bob.address, amount: 250n } }]);
  assert.equal(await token.view("balance_of", [bob.address]), 250n);
  // The same contract found by address reads its ABI from weft_getCode.
  const found = await client.contract(token.address);
  assert.deepEqual(found.abi.methods.map((m) => m.name), token.abi.methods.map((m) => m.name));
  // A view at an older block sees the state then.
  const before = outcome.receipt.block_height - 1;
  assert.equal(await token.view("balance_of", [bob.address], { block: before }), 0n);
});

test("the bytes sent are the bytes the node includes", async () => {
  const pending = await client.send(alice, { action: { kind: "transfer", to: bob.address }, value: 5n });
  const receipt = await pending.wait();
  assert.equal(receipt.status, "success");
  assert.equal(receipt.tx_hash, pending.hash);
  const included = await client.getTransaction(pending.hash);
  assert.equal(included?.kind, "transfer");
  assert.equal(included?.value, "5");
  assert.equal(included?.from, alice.address);
  const block = await client.getBlock(receipt.block_height, true);
  assert.deepEqual(block?.transactions, [pending.hash]);
});

test("sends in a row take the pending nonce and do not collide", async () => {
  const start = await client.getBalance(bob.address);
  const sent = [];
  for (let i = 0; i < 3; i++) sent.push(await client.send(alice, { action: { kind: "transfer", to: bob.address }, value: 1n }));
  const receipts = await Promise.all(sent.map((p) => p.wait()));
  assert.deepEqual(receipts.map((r) => r.status), ["success", "success", "success"]);
  assert.equal(await client.getBalance(bob.address), start + 3n);
});

test("failures are typed: node codes, reverts with their reason, ABI mistakes", async () => {
  // A used nonce: the node's code and reason.
  const stale = client.send(alice, { action: { kind: "transfer", to: bob.address }, value: 1n, nonce: 0, gasLimit: 100_000 });
  await assert.rejects(stale, (error: unknown) => {
    assert.ok(error instanceof RpcError);
    assert.equal(error.code, RpcCode.NonceTooLow);
    assert.equal(error.reason, "nonce_too_low");
    return true;
  });
  // The wrong chain id: the signature does not verify for this chain.
  const wrongChain = alice.sign({ chainId: 7, nonce: await client.getPendingNonce(alice.address), gasLimit: 100_000, gasPrice: 1n, value: 1n, action: { kind: "transfer", to: bob.address } });
  await assert.rejects(client.sendRawTransaction(wrongChain.bytes), { name: "RpcError", code: RpcCode.BadSignature });
  // Garbage bytes.
  await assert.rejects(client.sendRawTransaction(Uint8Array.of(1, 2, 3)), { name: "RpcError", code: RpcCode.TxRejected });
  // A call that reverts: refused at estimation with the revert code...
  await assert.rejects(token.call(bob, "transfer", [alice.address, 10n ** 30n]), { name: "RpcError", code: RpcCode.ExecutionReverted });
  // ...and, with a gas limit given, included, then thrown with its receipt and reason.
  await assert.rejects(token.call(bob, "transfer", [alice.address, 10n ** 30n], { gasLimit: 1_000_000 }), (error: unknown) => {
    assert.ok(error instanceof ExecutionError);
    assert.equal(error.receipt.status, "revert");
    assert.match(error.revertReason ?? "", /insufficient/);
    return true;
  });
  await assert.rejects(token.view("no_such_method"), AbiError);
  await assert.rejects(token.view("balance_of", ["0x12"]), /owner: expected 32 bytes for Address/);
  await assert.rejects(token.call(alice, "transfer", [bob.address, 1n], { value: 1n }), /not payable/);
  await assert.rejects(client.request("weft_getBalance", ["not an address"]), { name: "RpcError", code: RpcCode.InvalidParams });
  await assert.rejects(new WeftClient("http://127.0.0.1:9").blockNumber(), TransportError);
});

test("new heads and logs arrive over WebSocket", async () => {
  const heads: Block[] = [];
  const logs: Log[] = [];
  const transfer = token.abi.events.find((e) => e.name === "Transfer")!;
  const headSub = await client.subscribeNewHeads((head) => heads.push(head));
  const logSub = await client.subscribeLogs({ address: token.address, topics: [transfer.topic] }, (log) => logs.push(log));
  const { receipt } = await token.call(alice, "transfer", [bob.address, 7n]);
  const deadline = Date.now() + 10_000;
  while ((logs.length === 0 || !heads.some((h) => h.height === receipt.block_height)) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.ok(heads.some((h) => h.height === receipt.block_height), "the receipt's block came as a new head");
  assert.equal(logs.length, 1);
  assert.equal(logs[0]!.tx_hash, receipt.tx_hash);
  assert.deepEqual(token.abi.decodeEvent(logs[0]!)?.fields, { from: alice.address, to: bob.address, amount: 7n });
  await headSub.unsubscribe();
  await logSub.unsubscribe();
  // Unsubscribed: nothing more arrives.
  const seen = heads.length;
  await client.transfer(alice, bob.address, 1n);
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(heads.length, seen);
});

test("the trace of a call shows its frame and event", async () => {
  const { receipt } = await token.call(alice, "approve", [bob.address, 9n]);
  const trace = await client.traceTransaction(receipt.tx_hash);
  assert.equal(trace?.status, "success");
  assert.equal(trace?.calls?.entry, "approve");
  assert.ok(trace?.calls?.steps.some((s) => s.type === "event"));
});
