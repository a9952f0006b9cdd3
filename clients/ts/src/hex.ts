/** `0x` hex, as the node writes bytes. */

import { EncodingError } from "./errors.js";

/** Bytes, or their `0x` hex. */
export type BytesLike = Uint8Array | string;

/** `bytes` as lower-case `0x` hex. */
export function toHex(bytes: Uint8Array): string {
  let out = "0x";
  for (const byte of bytes) out += byte.toString(16).padStart(2, "0");
  return out;
}

/** The bytes of `0x` hex (the prefix is required; an odd length or a non-hex digit is refused). */
export function fromHex(text: string): Uint8Array {
  if (!/^0x([0-9a-fA-F]{2})*$/.test(text)) {
    throw new EncodingError(`not 0x hex of whole bytes: ${JSON.stringify(text.slice(0, 80))}`);
  }
  const out = new Uint8Array((text.length - 2) / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 + 2 * i, 4 + 2 * i), 16);
  return out;
}

/** `value` as bytes: hex is decoded, bytes are taken as they are. */
export function toBytes(value: BytesLike): Uint8Array {
  return typeof value === "string" ? fromHex(value) : value;
}

/** `value` as exactly `len` bytes (an address, a hash, a key). */
export function fixedBytes(value: BytesLike, len: number, what: string): Uint8Array {
  const bytes = toBytes(value);
  if (bytes.length !== len) {
    throw new EncodingError(`${what} must be ${len} bytes, got ${bytes.length}`);
  }
  return bytes;
}

/** The concatenation of `parts`. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Whether two byte strings are equal. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
