/**
 * SCALE's primitive layouts (`parity-scale-codec`), the ones Weft's transactions and contract ABIs
 * use: fixed-width little-endian integers, compact lengths, length-prefixed bytes. The reader
 * refuses what the node refuses: short input, non-canonical compact lengths.
 */

import { EncodingError } from "./errors.js";

/** Appends SCALE encodings to a growing buffer. */
export class ScaleWriter {
  private buffer = new Uint8Array(64);
  private length = 0;

  /** The bytes written so far. */
  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  /** Appends `bytes` as they are (a fixed-size array, a nested encoding). */
  raw(bytes: Uint8Array): this {
    if (this.length + bytes.length > this.buffer.length) {
      const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + bytes.length));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
    return this;
  }

  /** One byte. */
  u8(value: number): this {
    return this.raw(Uint8Array.of(value));
  }

  /** An integer of `bits` bits, little-endian; signed ones in two's complement. */
  int(value: bigint, bits: number, signed: boolean): this {
    const min = signed ? -(1n << BigInt(bits - 1)) : 0n;
    const max = signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
    if (value < min || value > max) {
      throw new EncodingError(`${value} does not fit ${signed ? "i" : "u"}${bits}`);
    }
    let unsigned = BigInt.asUintN(bits, value);
    const out = new Uint8Array(bits / 8);
    for (let i = 0; i < out.length; i++) {
      out[i] = Number(unsigned & 0xffn);
      unsigned >>= 8n;
    }
    return this.raw(out);
  }

  /** A `u64`. */
  u64(value: bigint): this {
    return this.int(value, 64, false);
  }

  /** A `u128`. */
  u128(value: bigint): this {
    return this.int(value, 128, false);
  }

  /** A compact length, as SCALE writes collection lengths. */
  compact(value: number): this {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new EncodingError(`a compact length must be a non-negative integer, got ${value}`);
    }
    if (value < 1 << 6) return this.u8(value << 2);
    if (value < 1 << 14) return this.raw(Uint8Array.of(((value << 2) | 1) & 0xff, value >> 6));
    if (value < 2 ** 30) {
      return this.int(BigInt(value * 4 + 2), 32, false);
    }
    // The big-integer mode: a length byte, then the value in as few bytes as it takes.
    const bytes: number[] = [];
    let rest = BigInt(value);
    while (rest > 0n) {
      bytes.push(Number(rest & 0xffn));
      rest >>= 8n;
    }
    return this.u8(((bytes.length - 4) << 2) | 3).raw(Uint8Array.from(bytes));
  }

  /** `Vec<u8>`: a compact length, then the bytes. */
  bytes(bytes: Uint8Array): this {
    return this.compact(bytes.length).raw(bytes);
  }

  /** `String`: UTF-8 with a compact length. */
  string(text: string): this {
    return this.bytes(new TextEncoder().encode(text));
  }
}

/** Reads SCALE encodings from bytes, front to back. */
export class ScaleReader {
  private at = 0;

  constructor(private readonly input: Uint8Array) {}

  /** How many bytes are left. */
  get remaining(): number {
    return this.input.length - this.at;
  }

  /** Fails unless every byte was read (the node refuses trailing bytes). */
  end(): void {
    if (this.remaining !== 0) throw new EncodingError(`${this.remaining} trailing bytes`);
  }

  /** The next `len` bytes. */
  take(len: number): Uint8Array {
    if (len > this.remaining) {
      throw new EncodingError(`needed ${len} more bytes, ${this.remaining} left`);
    }
    const out = this.input.subarray(this.at, this.at + len);
    this.at += len;
    return out;
  }

  /** One byte. */
  u8(): number {
    return this.take(1)[0]!;
  }

  /** An integer of `bits` bits, little-endian. */
  int(bits: number, signed: boolean): bigint {
    const bytes = this.take(bits / 8);
    let value = 0n;
    for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]!);
    return signed ? BigInt.asIntN(bits, value) : value;
  }

  /** A compact length; a non-canonical one (a longer form than needed) is refused. */
  compact(): number {
    const first = this.u8();
    switch (first & 3) {
      case 0:
        return first >> 2;
      case 1: {
        const value = (first | (this.u8() << 8)) >> 2;
        if (value < 1 << 6) throw new EncodingError("non-canonical compact length");
        return value;
      }
      case 2: {
        const value = Number((BigInt(first) | (this.int(24, false) << 8n)) >> 2n);
        if (value < 1 << 14) throw new EncodingError("non-canonical compact length");
        return value;
      }
      default: {
        const len = (first >> 2) + 4;
        const bytes = this.take(len);
        if (bytes[len - 1] === 0) throw new EncodingError("non-canonical compact length");
        let value = 0n;
        for (let i = len - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]!);
        if (value < 2n ** 30n || value > BigInt(Number.MAX_SAFE_INTEGER)) {
          throw new EncodingError("compact length out of range");
        }
        return Number(value);
      }
    }
  }

  /** `Vec<u8>`. */
  bytes(): Uint8Array {
    return this.take(this.compact());
  }

  /** `String` (invalid UTF-8 is refused). */
  string(): string {
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(this.bytes());
    } catch {
      throw new EncodingError("a String that is not UTF-8");
    }
  }
}
