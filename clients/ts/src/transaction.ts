/**
 * Weft's transactions, byte for byte as the node encodes, signs and hashes them
 * (`docs/ENCODING.md`): SCALE of the fields in order, an ed25519 signature over
 * `keccak256("weft:tx:v1" ‖ SCALE(transaction))`, the hash of the signed bytes.
 */

import { keccak_256 } from "@noble/hashes/sha3.js";

import { EncodingError } from "./errors.js";
import { type BytesLike, concatBytes, fixedBytes, toBytes, toHex } from "./hex.js";
import { ScaleWriter } from "./scale.js";

/** An integer as a bigint, a safe JS number or a decimal string. */
export type IntLike = bigint | number | string;

/** `value` as a bigint (a fractional or unsafe number and a non-decimal string are refused). */
export function toBigInt(value: IntLike, what = "integer"): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) {
      throw new EncodingError(`${what}: ${value} is not a safe integer (use a bigint or a string)`);
    }
    return BigInt(value);
  }
  if (!/^-?[0-9]+$/.test(value)) throw new EncodingError(`${what}: ${JSON.stringify(value)} is not a decimal integer`);
  return BigInt(value);
}

/** What a transaction does (`Action`, one-byte index then fields). */
export type Action =
  | { kind: "deploy"; code: BytesLike; initArgs?: BytesLike; salt?: BytesLike }
  | { kind: "call"; to: BytesLike; method: string; args?: BytesLike }
  | { kind: "transfer"; to: BytesLike }
  | { kind: "upload"; code: BytesLike }
  | { kind: "instantiate"; codeHash: BytesLike; initArgs?: BytesLike; salt?: BytesLike };

/** A transaction before it is signed. */
export interface Transaction {
  /** The chain it is for (the devnet's is 1337). */
  chainId: IntLike;
  /** The signer's ed25519 public key, 32 bytes. */
  signer: BytesLike;
  /** The sender's next nonce. */
  nonce: IntLike;
  /** The most gas it may use, its intrinsic cost included. */
  gasLimit: IntLike;
  /** Paid per gas unit. */
  gasPrice: IntLike;
  /** Value moved to the callee, the new contract or the recipient. */
  value: IntLike;
  /** What it does. */
  action: Action;
}

/** A signed transaction: its bytes as sent and its hash as the node reports it. */
export interface SignedTransaction {
  /** `SCALE(transaction) ‖ signature`. */
  bytes: Uint8Array;
  /** `keccak256(bytes)`, `0x` hex: what `weft_sendRawTransaction` returns. */
  hash: string;
}

const SIGNING_DOMAIN = new TextEncoder().encode("weft:tx:v1");
const ZERO_SALT = new Uint8Array(32);

/** `keccak256` of the concatenation of `parts` (Ethereum's Keccak, not NIST SHA-3). */
export function keccak256(...parts: Uint8Array[]): Uint8Array {
  return keccak_256(concatBytes(...parts));
}

/** `SCALE(transaction)`. */
export function encodeTransaction(tx: Transaction): Uint8Array {
  const out = new ScaleWriter()
    .u64(toBigInt(tx.chainId, "chainId"))
    .raw(fixedBytes(tx.signer, 32, "signer"))
    .u64(toBigInt(tx.nonce, "nonce"))
    .u64(toBigInt(tx.gasLimit, "gasLimit"))
    .u128(toBigInt(tx.gasPrice, "gasPrice"))
    .u128(toBigInt(tx.value, "value"));
  const action = tx.action;
  switch (action.kind) {
    case "deploy":
      out
        .u8(0)
        .bytes(toBytes(action.code))
        .bytes(toBytes(action.initArgs ?? "0x"))
        .raw(fixedBytes(action.salt ?? ZERO_SALT, 32, "salt"));
      break;
    case "call":
      out
        .u8(1)
        .raw(fixedBytes(action.to, 32, "to"))
        .string(action.method)
        .bytes(toBytes(action.args ?? "0x"));
      break;
    case "transfer":
      out.u8(2).raw(fixedBytes(action.to, 32, "to"));
      break;
    case "upload":
      out.u8(3).bytes(toBytes(action.code));
      break;
    case "instantiate":
      out
        .u8(4)
        .raw(fixedBytes(action.codeHash, 32, "codeHash"))
        .bytes(toBytes(action.initArgs ?? "0x"))
        .raw(fixedBytes(action.salt ?? ZERO_SALT, 32, "salt"));
      break;
  }
  return out.finish();
}

/** The 32 bytes the signer signs: `keccak256("weft:tx:v1" ‖ SCALE(transaction))`. */
export function signingHash(tx: Transaction): Uint8Array {
  return keccak256(SIGNING_DOMAIN, encodeTransaction(tx));
}

/** The signed form from a transaction and its 64-byte signature. */
export function signedTransaction(tx: Transaction, signature: Uint8Array): SignedTransaction {
  const bytes = concatBytes(encodeTransaction(tx), fixedBytes(signature, 64, "signature"));
  return { bytes, hash: toHex(keccak256(bytes)) };
}

const ACCOUNT_DOMAIN = new TextEncoder().encode("weft:account:v1");
const CONTRACT_DOMAIN = new TextEncoder().encode("weft:contract:v1");

/** The address of the account whose ed25519 public key is `publicKey`. */
export function accountAddress(publicKey: BytesLike): string {
  return toHex(keccak256(ACCOUNT_DOMAIN, fixedBytes(publicKey, 32, "public key")));
}

/** The address a deploy (or instantiate) by `deployer` with `nonce` and `salt` creates. */
export function contractAddress(deployer: BytesLike, nonce: IntLike, salt: BytesLike = ZERO_SALT): string {
  const nonceBytes = new ScaleWriter().u64(toBigInt(nonce, "nonce")).finish();
  return toHex(
    keccak256(CONTRACT_DOMAIN, fixedBytes(deployer, 32, "deployer"), nonceBytes, fixedBytes(salt, 32, "salt")),
  );
}
