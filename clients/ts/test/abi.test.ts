// SCALE by ABI type, against layouts written out by hand and the example contracts' sections.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { AbiError, ContractAbi, ScaleReader, ScaleWriter, TypeRegistry, decodeExact, encodeValue, toHex } from "../src/index.js";

const artifact = (name: string) => readFileSync(new URL(`../../../../contracts/artifacts/${name}.wasm`, import.meta.url));

const encode = (type: string, value: unknown, registry = new TypeRegistry()) => {
  const out = new ScaleWriter();
  encodeValue(registry.parse(type), value, out);
  return toHex(out.finish());
};

test("values encode as SCALE lays them out, and decode back", () => {
  const cases: [string, unknown, string][] = [
    ["bool", true, "0x01"],
    ["u8", 255, "0xff"],
    ["u32", 1, "0x01000000"],
    ["i16", -2, "0xfeff"],
    ["u64", 1n << 40n, "0x0000000000010000"],
    ["u128", 250n, "0xfa" + "00".repeat(15)],
    ["i128", -1n, "0x" + "ff".repeat(16)],
    ["String", "hé", "0x0c68c3a9"],
    ["Vec<u8>", "0x0102", "0x080102"],
    ["[u8;2]", "0x0102", "0x0102"],
    ["Address", "0x" + "ab".repeat(32), "0x" + "ab".repeat(32)],
    ["Vec<u16>", [1, 2], "0x0801000200"],
    ["Option<u8>", null, "0x00"],
    ["Option<u8>", 7, "0x0107"],
    ["Result<u8,String>", { Ok: 1 }, "0x0001"],
    ["Result<u8,String>", { Err: "x" }, "0x010478"],
    ["(u8,bool)", [1, false], "0x0100"],
    ["()", null, "0x"],
    ["[u16;2]", [1, 2], "0x01000200"],
  ];
  const registry = new TypeRegistry();
  for (const [type, value, hex] of cases) {
    assert.equal(encode(type, value), hex, type);
    assert.deepEqual(decodeExact(registry.parse(type), Buffer.from(hex.slice(2), "hex")), value, type);
  }
  // Numbers and decimal strings are taken for wide integers; bigints come back.
  assert.equal(encode("u128", "250"), encode("u128", 250n));
  assert.equal(encode("u64", 5), "0x0500000000000000");
});

test("compact lengths use the shortest form, and only that form is read", () => {
  const compact = (n: number) => toHex(new ScaleWriter().compact(n).finish());
  assert.equal(compact(63), "0xfc");
  assert.equal(compact(64), "0x0101");
  assert.equal(compact(16383), "0xfdff");
  assert.equal(compact(16384), "0x02000100");
  assert.equal(compact(2 ** 30), "0x0300000040");
  for (const n of [0, 63, 64, 16383, 16384, 2 ** 30 - 1, 2 ** 30]) {
    assert.equal(new ScaleReader(new ScaleWriter().compact(n).finish()).compact(), n);
  }
  assert.throws(() => new ScaleReader(Uint8Array.of(0x01, 0x00)).compact(), /non-canonical/);
});

test("values that do not fit their type are refused with where and why", () => {
  assert.throws(() => encode("u8", 256), /256 does not fit u8/);
  assert.throws(() => encode("u64", 1.5), /not a safe integer/);
  assert.throws(() => encode("Address", "0x01"), /32 bytes for Address/);
  assert.throws(() => encode("bool", 1), AbiError);
  assert.throws(() => encode("(u8,u8)", [1]), /an array of 2/);
  assert.throws(() => new TypeRegistry().parse("Vec<"), /not an ABI type/);
  assert.throws(() => new TypeRegistry().parse("Point"), /`Point` is not described/);
  assert.throws(() => new TypeRegistry().parse("Vec<".repeat(40) + "u8" + ">".repeat(40)), /deeper than 32/);
  assert.throws(() => decodeExact(new TypeRegistry().parse("bool"), Uint8Array.of(2)), /bool byte 2/);
  assert.throws(() => decodeExact(new TypeRegistry().parse("u8"), Uint8Array.of(1, 2)), /1 trailing bytes/);
  // A hostile length cannot make a decoder allocate millions of values.
  assert.throws(() => decodeExact(new TypeRegistry().parse("Vec<()>"), Uint8Array.of(0x03, 0xff, 0xff, 0xff, 0xff)), AbiError);
});

test("structs and enums are described, and an undescribed type hides only its own methods", () => {
  const section = [
    '{"contract":"Shapes","methods":[{"name":"move_to","args":[{"name":"p","type":"Point"}],"returns":"Shape"},' +
      '{"name":"area","args":[{"name":"side","type":"u64"}],"returns":"u64"},{"name":"loops","args":[{"name":"l","type":"Loop"}]}]}',
    '{"type":"Point","fields":[{"name":"x","type":"u32"},{"name":"y","type":"u32"}]}',
    '{"type":"Shape","variants":[{"name":"Dot","index":0,"fields":[]},{"name":"Square","index":3,"fields":[{"type":"Point"},{"type":"u8"}]}]}',
    '{"type":"Loop","fields":[{"name":"next","type":"Option<Loop>"}]}',
  ].join("\n");
  const abi = ContractAbi.fromSection(section);
  assert.equal(toHex(abi.encodeArgs("move_to", [{ x: 1, y: 2 }])), "0x0100000002000000");
  assert.deepEqual(abi.decodeResult("move_to", "0x00"), "Dot");
  assert.deepEqual(abi.decodeResult("move_to", "0x0301000000020000000a"), { Square: [{ x: 1, y: 2 }, 10] });
  assert.throws(() => abi.encodeArgs("move_to", [{ x: 1 }]), /an object of \{x, y\} for Point/);
  assert.equal(abi.method("loops").undescribed, "`Loop` is recursive");
  assert.throws(() => abi.encodeArgs("loops", [null]), /not described/);
  assert.equal(toHex(abi.encodeArgs("area", [3n])), "0x0300000000000000");
  assert.deepEqual(
    abi.types.map((t) => t.name),
    ["Point", "Shape"],
  );
});

test("the example contracts' sections are read from their wasm", async () => {
  const token = await ContractAbi.fromWasm(artifact("token"));
  assert.ok(token);
  assert.equal(token.contract, "Token");
  assert.deepEqual(
    token.method("transfer").args.map((a) => `${a.name}: ${a.type}`),
    ["to: Address", "amount: u128"],
  );
  assert.equal(token.constructorMethod?.export, "deploy");
  const transfer = token.events.find((e) => e.name === "Transfer");
  assert.ok(transfer);
  // An event decodes from its topics (indexed fields) and data.
  const from = "0x" + "01".repeat(32);
  const to = "0x" + "02".repeat(32);
  const decoded = token.decodeEvent({ topics: [transfer.topic, from, to], data: "0xfa" + "00".repeat(15) });
  assert.deepEqual(decoded, { name: "Transfer", fields: { from, to, amount: 250n } });
  assert.equal(token.decodeEvent({ topics: ["0x" + "00".repeat(32)], data: "0x" }), null);

  const escrow = await ContractAbi.fromWasm(artifact("escrow"));
  assert.ok(escrow && escrow.types.some((t) => t.name === "Terms"), "escrow describes Terms");
  assert.equal(escrow.method("phase").undescribed, undefined);
  await assert.rejects(ContractAbi.fromWasm(new TextEncoder().encode("(module)")), /WAT text is not accepted/);
});
