/**
 * The ABI's type grammar (`docs/ABI.md`): Rust types as `weft-sdk`'s macros write them, and the
 * structs and enums a contract describes with `#[derive(AbiType)]`, resolved by name. As in
 * `weft-abi`, a recursive type, a name defined twice differently, an undefined name and nesting
 * past {@link MAX_TYPE_DEPTH} are refused for the methods and events that use them only.
 */

import { AbiError } from "../errors.js";

/** How deep types may nest (`Vec<Vec<u8>>` is 2 deep), as in `weft_abi::MAX_TYPE_DEPTH`. */
export const MAX_TYPE_DEPTH = 32;

/** A parsed type. */
export type AbiType =
  | { kind: "bool" }
  | { kind: "int"; bits: 8 | 16 | 32 | 64 | 128; signed: boolean }
  | { kind: "string" }
  | { kind: "address" }
  | { kind: "hash" }
  | { kind: "vec"; item: AbiType }
  | { kind: "option"; item: AbiType }
  | { kind: "result"; ok: AbiType; err: AbiType }
  | { kind: "tuple"; items: AbiType[] }
  | { kind: "array"; item: AbiType; len: number }
  | { kind: "defined"; def: TypeDef };

/** A struct's or variant's fields: named (an object in JS) or not (an array; one is its value). */
export type Fields = { named: { name: string; type: AbiType }[] } | { unnamed: AbiType[] };

/** A described struct or enum. */
export interface TypeDef {
  /** Its name in the source (no path). */
  name: string;
  /** A struct's fields, or an enum's variants with the byte SCALE writes for each. */
  shape: { struct: Fields } | { enum: { name: string; index: number; fields: Fields }[] };
}

/** A type line of the section as written. */
export interface RawTypeDef {
  type: string;
  fields?: { name?: string; type: string }[];
  variants?: { name: string; index: number; fields: { name?: string; type: string }[] }[];
}

const INTS: Record<string, AbiType> = Object.fromEntries(
  ([8, 16, 32, 64, 128] as const).flatMap((bits) => [
    [`u${bits}`, { kind: "int", bits, signed: false }],
    [`i${bits}`, { kind: "int", bits, signed: true }],
  ]),
);

/** Resolves the names of a section's type lines, once each. */
export class TypeRegistry {
  private readonly raw = new Map<string, RawTypeDef>();
  private readonly twice = new Set<string>();
  private readonly resolved = new Map<string, TypeDef>();
  private readonly resolving = new Set<string>();

  constructor(defs: RawTypeDef[] = []) {
    for (const def of defs) {
      const seen = this.raw.get(def.type);
      if (seen && JSON.stringify(seen) !== JSON.stringify(def)) this.twice.add(def.type);
      this.raw.set(def.type, def);
    }
  }

  /** The names the section defines. */
  names(): string[] {
    return [...this.raw.keys()];
  }

  /** `text` as a type. */
  parse(text: string): AbiType {
    return parseType(text, this, 0);
  }

  /** The definition of `name`. */
  resolve(name: string, depth = 0): TypeDef {
    const done = this.resolved.get(name);
    if (done) return done;
    if (this.twice.has(name)) throw new AbiError(`\`${name}\` is defined twice, differently`);
    const raw = this.raw.get(name);
    if (!raw) throw new AbiError(`\`${name}\` is not described: derive \`weft_sdk::AbiType\` on it`);
    if (this.resolving.has(name)) throw new AbiError(`\`${name}\` is recursive`);
    this.resolving.add(name);
    try {
      const fields = (list: { name?: string; type: string }[]): Fields =>
        list.length > 0 && list.every((f) => f.name !== undefined)
          ? { named: list.map((f) => ({ name: f.name!, type: parseType(f.type, this, depth + 1) })) }
          : { unnamed: list.map((f) => parseType(f.type, this, depth + 1)) };
      let def: TypeDef;
      if (raw.variants) {
        def = {
          name,
          shape: {
            enum: raw.variants.map((v) => ({ name: v.name, index: v.index, fields: fields(v.fields) })),
          },
        };
      } else {
        def = { name, shape: { struct: fields(raw.fields ?? []) } };
      }
      this.resolved.set(name, def);
      return def;
    } finally {
      this.resolving.delete(name);
    }
  }
}

/** `text` as a type; `depth` is how deeply the text is nested where it is used. */
function parseType(text: string, registry: TypeRegistry, depth: number): AbiType {
  const compact = text.replace(/\s+/g, "");
  let at = 0;
  const fail = (): never => {
    throw new AbiError(`not an ABI type: \`${text}\``);
  };
  const eat = (c: string): boolean => {
    if (compact[at] === c) {
      at++;
      return true;
    }
    return false;
  };
  const ty = (level: number): AbiType => {
    if (level > MAX_TYPE_DEPTH) throw new AbiError(`a type nests deeper than ${MAX_TYPE_DEPTH} levels`);
    if (eat("(")) {
      const items: AbiType[] = [];
      while (!eat(")")) {
        items.push(ty(level + 1));
        if (!eat(",") && compact[at] !== ")") fail();
      }
      return { kind: "tuple", items };
    }
    if (eat("[")) {
      const item = ty(level + 1);
      if (!eat(";")) fail();
      const digits = /^[0-9]+/.exec(compact.slice(at))?.[0] ?? fail();
      at += digits.length;
      if (!eat("]")) fail();
      return { kind: "array", item, len: Number(digits) };
    }
    const path = /^[A-Za-z_][A-Za-z0-9_]*(::[A-Za-z_][A-Za-z0-9_]*)*/.exec(compact.slice(at))?.[0] ?? fail();
    at += path.length;
    const name = path.split("::").pop()!;
    const params: AbiType[] = [];
    if (eat("<")) {
      do params.push(ty(level + 1));
      while (eat(","));
      if (!eat(">")) fail();
    }
    const arity = (n: number) => {
      if (params.length !== n) fail();
    };
    switch (name) {
      case "bool":
        arity(0);
        return { kind: "bool" };
      case "String":
        arity(0);
        return { kind: "string" };
      case "Address":
        arity(0);
        return { kind: "address" };
      case "Hash":
        arity(0);
        return { kind: "hash" };
      case "Vec":
        arity(1);
        return { kind: "vec", item: params[0]! };
      case "Option":
        arity(1);
        return { kind: "option", item: params[0]! };
      case "Result":
        arity(2);
        return { kind: "result", ok: params[0]!, err: params[1]! };
      default: {
        const int = INTS[name];
        arity(0);
        if (int) return int;
        const def = registry.resolve(name, level);
        if (level + defDepth(def) > MAX_TYPE_DEPTH) {
          throw new AbiError(`a type nests deeper than ${MAX_TYPE_DEPTH} levels`);
        }
        return { kind: "defined", def };
      }
    }
  };
  const parsed = ty(depth);
  if (at !== compact.length) fail();
  return parsed;
}

/** How deep types nest inside `def`: 0 without fields, else one more than its deepest field. */
function defDepth(def: TypeDef): number {
  const fieldsDepth = (fields: Fields): number => {
    const types = "named" in fields ? fields.named.map((f) => f.type) : fields.unnamed;
    return types.length === 0 ? 0 : 1 + Math.max(...types.map(typeDepth));
  };
  return "struct" in def.shape
    ? fieldsDepth(def.shape.struct)
    : Math.max(0, ...def.shape.enum.map((v) => fieldsDepth(v.fields)));
}

/** How deep types nest inside `ty`: 0 for `u8`, 1 for `Vec<u8>`. */
export function typeDepth(ty: AbiType): number {
  switch (ty.kind) {
    case "vec":
    case "option":
    case "array":
      return 1 + typeDepth(ty.item);
    case "result":
      return 1 + Math.max(typeDepth(ty.ok), typeDepth(ty.err));
    case "tuple":
      return Math.max(0, ...ty.items.map((i) => 1 + typeDepth(i)));
    case "defined":
      return defDepth(ty.def);
    default:
      return 0;
  }
}
