/**
 * JS values ⇄ SCALE by ABI type. The JS forms are `weft-abi`'s JSON forms with bigints:
 * `boolean`; integers up to 32 bits as numbers, 64- and 128-bit ones as bigints (numbers and
 * decimal strings accepted); `string`; `Address`, `Hash`, `Vec<u8>` and `[u8;N]` as `0x` hex
 * (`Uint8Array` accepted); other vectors, arrays and tuples as arrays (`()` as `null`); `Option`
 * as `null` or the value; `Result` as `{Ok: v}` or `{Err: e}`; a struct as an object of its fields
 * (a tuple struct an array, one field its value, none `null`); an enum variant without fields as
 * its name, one with fields as `{Name: fields}`.
 */

import { AbiError, EncodingError } from "../errors.js";
import { toBytes, toHex } from "../hex.js";
import { ScaleReader, ScaleWriter } from "../scale.js";
import { toBigInt } from "../transaction.js";
import type { AbiType, Fields, TypeDef } from "./types.js";

/** The most values one decode makes beyond one per byte read (`weft_abi::MAX_VALUES`). */
const MAX_VALUES = 1 << 16;

const isU8 = (ty: AbiType) => ty.kind === "int" && ty.bits === 8 && !ty.signed;

/** Whether `ty`'s JS form is `0x` hex. */
function isHexForm(ty: AbiType): boolean {
  return ty.kind === "address" || ty.kind === "hash" || ((ty.kind === "vec" || ty.kind === "array") && isU8(ty.item));
}

/** A readable name of `ty`, for errors. */
export function typeName(ty: AbiType): string {
  switch (ty.kind) {
    case "bool":
      return "bool";
    case "int":
      return `${ty.signed ? "i" : "u"}${ty.bits}`;
    case "string":
      return "String";
    case "address":
      return "Address";
    case "hash":
      return "Hash";
    case "vec":
      return `Vec<${typeName(ty.item)}>`;
    case "option":
      return `Option<${typeName(ty.item)}>`;
    case "result":
      return `Result<${typeName(ty.ok)},${typeName(ty.err)}>`;
    case "tuple":
      return `(${ty.items.map(typeName).join(",")})`;
    case "array":
      return `[${typeName(ty.item)};${ty.len}]`;
    case "defined":
      return ty.def.name;
  }
}

const show = (value: unknown) =>
  JSON.stringify(value, (_, v) => (typeof v === "bigint" ? v.toString() : v instanceof Uint8Array ? toHex(v) : v)) ??
  String(value);

const mismatch = (expected: string, value: unknown, at: string) =>
  new AbiError(`${at ? `${at}: ` : ""}expected ${expected}, got ${show(value)?.slice(0, 120)}`);

/** Appends the SCALE encoding of `value` as `ty`; `at` names where it is, for errors. */
export function encodeValue(ty: AbiType, value: unknown, out: ScaleWriter, at = ""): void {
  try {
    encodeInner(ty, value, out, at);
  } catch (error) {
    if (error instanceof EncodingError) throw new AbiError(`${at ? `${at}: ` : ""}${error.message}`);
    throw error;
  }
}

function encodeInner(ty: AbiType, value: unknown, out: ScaleWriter, at: string): void {
  if (isHexForm(ty)) {
    if (typeof value !== "string" && !(value instanceof Uint8Array)) throw mismatch(`${typeName(ty)} as 0x hex`, value, at);
    const bytes = toBytes(value);
    const len = ty.kind === "address" || ty.kind === "hash" ? 32 : ty.kind === "array" ? ty.len : undefined;
    if (len !== undefined && bytes.length !== len) throw mismatch(`${len} bytes for ${typeName(ty)}`, value, at);
    if (len === undefined) out.compact(bytes.length);
    out.raw(bytes);
    return;
  }
  switch (ty.kind) {
    case "bool":
      if (typeof value !== "boolean") throw mismatch("a boolean", value, at);
      out.u8(value ? 1 : 0);
      return;
    case "int":
      if (typeof value !== "bigint" && typeof value !== "number" && typeof value !== "string") {
        throw mismatch(typeName(ty), value, at);
      }
      out.int(toBigInt(value, typeName(ty)), ty.bits, ty.signed);
      return;
    case "string":
      if (typeof value !== "string") throw mismatch("a string", value, at);
      out.string(value);
      return;
    case "vec":
    case "array": {
      if (!Array.isArray(value)) throw mismatch(`an array for ${typeName(ty)}`, value, at);
      if (ty.kind === "array" && value.length !== ty.len) throw mismatch(`${ty.len} items`, value, at);
      if (ty.kind === "vec") out.compact(value.length);
      value.forEach((item, i) => encodeInner(ty.item, item, out, `${at}[${i}]`));
      return;
    }
    case "option":
      if (value === null || value === undefined) {
        out.u8(0);
      } else {
        out.u8(1);
        encodeInner(ty.item, value, out, at);
      }
      return;
    case "result": {
      const tagged = singleKey(value);
      if (tagged?.[0] === "Ok") {
        out.u8(0);
        encodeInner(ty.ok, tagged[1], out, `${at}.Ok`);
      } else if (tagged?.[0] === "Err") {
        out.u8(1);
        encodeInner(ty.err, tagged[1], out, `${at}.Err`);
      } else {
        throw mismatch(`{Ok: ..} or {Err: ..} for ${typeName(ty)}`, value, at);
      }
      return;
    }
    case "tuple":
      if (ty.items.length === 0) {
        if (value !== null && value !== undefined) throw mismatch("null for ()", value, at);
        return;
      }
      if (!Array.isArray(value) || value.length !== ty.items.length) {
        throw mismatch(`an array of ${ty.items.length} for ${typeName(ty)}`, value, at);
      }
      ty.items.forEach((item, i) => encodeInner(item, value[i], out, `${at}[${i}]`));
      return;
    case "defined":
      encodeDefined(ty.def, value, out, at);
      return;
    default:
      throw mismatch(typeName(ty), value, at);
  }
}

function singleKey(value: unknown): [string, unknown] | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value) || value instanceof Uint8Array) return undefined;
  const entries = Object.entries(value);
  return entries.length === 1 ? entries[0] : undefined;
}

function encodeDefined(def: TypeDef, value: unknown, out: ScaleWriter, at: string): void {
  if ("struct" in def.shape) {
    encodeFields(def.shape.struct, value, out, at || def.name, def.name);
    return;
  }
  const variants = def.shape.enum;
  const tagged = typeof value === "string" ? ([value, undefined] as const) : singleKey(value);
  const variant = tagged && variants.find((v) => v.name === tagged[0]);
  if (!variant) {
    const names = variants.map((v) => (fieldCount(v.fields) === 0 ? `"${v.name}"` : `{${v.name}: ..}`));
    throw mismatch(`a variant of ${def.name} (${names.join(", ")})`, value, at);
  }
  out.u8(variant.index);
  if (typeof value === "string" && fieldCount(variant.fields) > 0) {
    throw mismatch(`{${variant.name}: ..}: \`${def.name}::${variant.name}\` has fields`, value, at);
  }
  encodeFields(variant.fields, tagged![1], out, `${at}${at ? "." : ""}${variant.name}`, `${def.name}::${variant.name}`);
}

const fieldCount = (fields: Fields) => ("named" in fields ? fields.named.length : fields.unnamed.length);

function encodeFields(fields: Fields, value: unknown, out: ScaleWriter, at: string, owner: string): void {
  if ("named" in fields) {
    const names = fields.named.map((f) => f.name);
    const object = value as Record<string, unknown>;
    const fits =
      typeof value === "object" &&
      value !== null &&
      !Array.isArray(value) &&
      Object.keys(object).length === names.length &&
      names.every((n) => n in object);
    if (!fits) throw mismatch(`an object of {${names.join(", ")}} for ${owner}`, value, at);
    for (const field of fields.named) encodeInner(field.type, object[field.name], out, `${at}.${field.name}`);
    return;
  }
  const types = fields.unnamed;
  if (types.length === 0) {
    if (value !== null && value !== undefined) throw mismatch(`null for ${owner}`, value, at);
  } else if (types.length === 1) {
    encodeInner(types[0]!, value, out, at);
  } else {
    if (!Array.isArray(value) || value.length !== types.length) {
      throw mismatch(`an array of ${types.length} for ${owner}`, value, at);
    }
    types.forEach((t, i) => encodeInner(t, value[i], out, `${at}[${i}]`));
  }
}

/** Decodes one value of `ty` from `input`. */
export function decodeValue(ty: AbiType, input: ScaleReader): unknown {
  const budget = { left: MAX_VALUES + input.remaining };
  try {
    return decodeInner(ty, input, budget);
  } catch (error) {
    if (error instanceof EncodingError) throw new AbiError(`not SCALE of ${typeName(ty)}: ${error.message}`);
    throw error;
  }
}

/** Decodes exactly `bytes` as one value of `ty`. */
export function decodeExact(ty: AbiType, bytes: Uint8Array): unknown {
  const reader = new ScaleReader(bytes);
  const value = decodeValue(ty, reader);
  if (reader.remaining !== 0) throw new AbiError(`${reader.remaining} trailing bytes after ${typeName(ty)}`);
  return value;
}

function decodeInner(ty: AbiType, input: ScaleReader, budget: { left: number }): unknown {
  if (--budget.left < 0) throw new AbiError("the value has more items than the decoder makes");
  if (isHexForm(ty)) {
    const len = ty.kind === "address" || ty.kind === "hash" ? 32 : ty.kind === "array" ? ty.len : input.compact();
    return toHex(input.take(len));
  }
  switch (ty.kind) {
    case "bool": {
      const byte = input.u8();
      if (byte > 1) throw new EncodingError(`bool byte ${byte}`);
      return byte === 1;
    }
    case "int": {
      const value = input.int(ty.bits, ty.signed);
      return ty.bits <= 32 ? Number(value) : value;
    }
    case "string":
      return input.string();
    case "vec":
    case "array": {
      const len = ty.kind === "vec" ? input.compact() : ty.len;
      if (len > budget.left) throw new AbiError("the value has more items than the decoder makes");
      return Array.from({ length: len }, () => decodeInner(ty.item, input, budget));
    }
    case "option": {
      const tag = input.u8();
      if (tag > 1) throw new EncodingError(`Option tag ${tag}`);
      return tag === 0 ? null : decodeInner(ty.item, input, budget);
    }
    case "result": {
      const tag = input.u8();
      if (tag === 0) return { Ok: decodeInner(ty.ok, input, budget) };
      if (tag === 1) return { Err: decodeInner(ty.err, input, budget) };
      throw new EncodingError(`Result tag ${tag}`);
    }
    case "tuple":
      return ty.items.length === 0 ? null : ty.items.map((item) => decodeInner(item, input, budget));
    case "defined": {
      const def = ty.def;
      if ("struct" in def.shape) return decodeFields(def.shape.struct, input, budget);
      const index = input.u8();
      const variant = def.shape.enum.find((v) => v.index === index);
      if (!variant) throw new EncodingError(`no variant of ${def.name} has index ${index}`);
      if (fieldCount(variant.fields) === 0) return variant.name;
      return { [variant.name]: decodeFields(variant.fields, input, budget) };
    }
    default:
      throw new AbiError(`cannot decode ${typeName(ty)}`);
  }
}

function decodeFields(fields: Fields, input: ScaleReader, budget: { left: number }): unknown {
  if ("named" in fields) {
    return Object.fromEntries(fields.named.map((f) => [f.name, decodeInner(f.type, input, budget)]));
  }
  const types = fields.unnamed;
  if (types.length === 0) return null;
  if (types.length === 1) return decodeInner(types[0]!, input, budget);
  return types.map((t) => decodeInner(t, input, budget));
}

/**
 * An indexed event field from its topic: integers and `bool` from their SCALE bytes followed by
 * zeros, `Address` and `Hash` (and anything else) as the topic's hex.
 */
export function decodeTopic(ty: AbiType, topic: Uint8Array): unknown {
  const padded = (width: number) => topic.subarray(width).every((b) => b === 0);
  if (ty.kind === "int" && padded(ty.bits / 8)) return decodeInner(ty, new ScaleReader(topic), { left: 1 });
  if (ty.kind === "bool" && padded(1) && topic[0]! <= 1) return topic[0] === 1;
  return toHex(topic);
}
