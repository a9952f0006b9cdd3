/** A signing key and the account it controls. */

import { ed25519 } from "@noble/curves/ed25519.js";

import { type BytesLike, fixedBytes, toHex } from "./hex.js";
import { type SignedTransaction, type Transaction, accountAddress, signedTransaction, signingHash } from "./transaction.js";

/** An ed25519 key pair: signs transactions for its account. */
export class Wallet {
  /** The 32-byte public key, `0x` hex (a transaction's `signer`). */
  readonly publicKey: string;
  /** The account's address, `0x` hex. */
  readonly address: string;

  private constructor(private readonly secretKey: Uint8Array) {
    this.publicKey = toHex(ed25519.getPublicKey(secretKey));
    this.address = accountAddress(this.publicKey);
  }

  /** The wallet of a 32-byte ed25519 secret key (a seed, as RFC 8032 and `weft keys` write it). */
  static fromSecretKey(secretKey: BytesLike): Wallet {
    return new Wallet(fixedBytes(secretKey, 32, "secret key").slice());
  }

  /** A new wallet with a random key. */
  static random(): Wallet {
    return new Wallet(ed25519.utils.randomSecretKey());
  }

  /** Signs `tx` (whose `signer` must be this wallet's key). */
  sign(tx: Omit<Transaction, "signer">): SignedTransaction {
    const full: Transaction = { ...tx, signer: this.publicKey };
    return signedTransaction(full, ed25519.sign(signingHash(full), this.secretKey));
  }
}
