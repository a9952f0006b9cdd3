/**
 * A contract's ABI from its `weft_abi` custom section (`docs/ABI.md`, "Contract ABI metadata"):
 * its methods, events and types, and the SCALE encodings of arguments, results and events. A
 * method or event whose types the section does not describe is kept, marked `undescribed` with the
 * reason: it takes and gives SCALE bytes only, and never makes the rest unusable.
 */

import { AbiError, EncodingError } from "../errors.js";
import { type BytesLike, toBytes, toHex } from "../hex.js";
import { ScaleReader, ScaleWriter } from "../scale.js";
import { keccak256 } from "../transaction.js";
import { decodeExact, decodeTopic, decodeValue, encodeValue } from "./codec.js";
import { type AbiType, type RawTypeDef, type TypeDef, TypeRegistry } from "./types.js";

export { decodeExact, decodeValue, encodeValue, typeName } from "./codec.js";
export { type AbiType, type Fields, type TypeDef, MAX_TYPE_DEPTH, TypeRegistry } from "./types.js";

/** The name of the custom section. */
export const ABI_SECTION = "weft_abi";

/** An argument or event field. */
export interface AbiParam {
  /** Its name in the source. */
  name: string;
  /** Its type as written (`Vec<u8>`, `Terms`). */
  type: string;
  /** Its parsed type (absent when the method or event is undescribed). */
  ty?: AbiType;
}

/** An entry point. */
export interface AbiMethod {
  /** Its name in the source. */
  name: string;
  /** The wasm export that runs it (`deploy` for the constructor, `migrate` for the migration). */
  export: string;
  /** Its arguments, encoded as the SCALE tuple of all of them. */
  args: AbiParam[];
  /** What it returns, as written. */
  returns?: string;
  /** Its parsed result type. */
  returnType?: AbiType;
  /** Whether it accepts value. */
  payable: boolean;
  /** Whether it is the constructor. */
  init: boolean;
  /** Whether it is the migration. */
  migrate: boolean;
  /** Why its types are not described, if they are not. */
  undescribed?: string;
}

/** An event the contract declares. */
export interface AbiEvent {
  /** Its name. */
  name: string;
  /** `Name(T1,T2,..)`. */
  signature: string;
  /** Topic 0: `keccak256(signature)`, `0x` hex. */
  topic: string;
  /** Its fields in order, each with whether it is a topic. */
  fields: (AbiParam & { indexed: boolean })[];
  /** Why its types are not described, if they are not. */
  undescribed?: string;
}

/** An event decoded by its contract's ABI. */
export interface DecodedEvent {
  /** The event's name. */
  name: string;
  /** Its fields by name. */
  fields: Record<string, unknown>;
}

interface RawMethod {
  name: string;
  args: { name: string; type: string }[];
  returns?: string;
  payable?: boolean;
  init?: boolean;
  migrate?: boolean;
}

type RawLine =
  | { contract: string; methods: RawMethod[] }
  | { event: string; signature: string; fields: { name: string; type: string; indexed?: boolean }[] }
  | RawTypeDef;

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A contract's ABI. */
export class ContractAbi {
  /** The contract's name (the type `#[contract]` was on). */
  readonly contract?: string;
  /** Its entry points. */
  readonly methods: AbiMethod[] = [];
  /** Its events. */
  readonly events: AbiEvent[] = [];
  /** The structs and enums it describes (those whose definitions resolve). */
  readonly types: TypeDef[] = [];

  private constructor(text: string) {
    const lines: RawLine[] = [];
    const defs: RawTypeDef[] = [];
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      let parsed: RawLine;
      try {
        parsed = JSON.parse(line) as RawLine;
      } catch (error) {
        throw new AbiError(`weft_abi section: ${reason(error)}`);
      }
      if (typeof parsed !== "object" || parsed === null) throw new AbiError("weft_abi section: a line is not an object");
      if ("type" in parsed) defs.push(parsed);
      else lines.push(parsed);
    }
    const registry = new TypeRegistry(defs);
    for (const line of lines) {
      if ("contract" in line) {
        if (this.contract !== undefined) throw new AbiError("weft_abi section: two contract lines");
        this.contract = line.contract;
        for (const raw of line.methods) this.methods.push(method(raw, registry));
      } else if ("event" in line) {
        if (this.events.some((e) => e.signature === line.signature)) continue;
        const event: AbiEvent = {
          name: line.event,
          signature: line.signature,
          topic: toHex(keccak256(new TextEncoder().encode(line.signature))),
          fields: line.fields.map((f) => ({ name: f.name, type: f.type, indexed: f.indexed ?? false })),
        };
        try {
          for (const field of event.fields) field.ty = registry.parse(field.type);
        } catch (error) {
          for (const field of event.fields) delete field.ty;
          event.undescribed = reason(error);
        }
        this.events.push(event);
      }
    }
    for (const name of registry.names()) {
      try {
        this.types.push(registry.resolve(name));
      } catch {
        // Refused definitions show as the undescribed methods and events that use them.
      }
    }
  }

  /** The ABI from the text of a `weft_abi` section (one JSON object per line, any order). */
  static fromSection(text: string): ContractAbi {
    return new ContractAbi(text);
  }

  /** The ABI in a wasm module's `weft_abi` section; `null` if it has none. */
  static async fromWasm(wasm: BytesLike): Promise<ContractAbi | null> {
    const bytes = toBytes(wasm);
    if (bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
      throw new EncodingError("not a wasm module: it does not begin with \\0asm (WAT text is not accepted)");
    }
    let module: WebAssembly.Module;
    try {
      module = await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
    } catch (error) {
      throw new EncodingError(`not a valid wasm module: ${reason(error)}`);
    }
    const sections = WebAssembly.Module.customSections(module, ABI_SECTION);
    if (sections.length === 0) return null;
    const decoder = new TextDecoder("utf-8", { fatal: true });
    try {
      return new ContractAbi(sections.map((s) => decoder.decode(s)).join(""));
    } catch (error) {
      if (error instanceof AbiError) throw error;
      throw new AbiError("weft_abi section: not UTF-8");
    }
  }

  /** The method named `name` (the constructor also answers to `deploy`, the migration to `migrate`). */
  method(name: string): AbiMethod {
    const found = this.methods.find((m) => m.name === name || m.export === name);
    if (!found) throw new AbiError(`the ABI has no method \`${name}\``);
    return found;
  }

  /** The constructor, if the contract has one. */
  get constructorMethod(): AbiMethod | undefined {
    return this.methods.find((m) => m.init);
  }

  /** SCALE input for `method` from one value per argument. */
  encodeArgs(method: string | AbiMethod, args: readonly unknown[]): Uint8Array {
    const m = typeof method === "string" ? this.method(method) : method;
    described(m);
    if (args.length !== m.args.length) {
      throw new AbiError(`\`${m.name}\` takes ${m.args.length} arguments, got ${args.length}`);
    }
    const out = new ScaleWriter();
    m.args.forEach((param, i) => encodeValue(param.ty!, args[i], out, param.name));
    return out.finish();
  }

  /** `method`'s SCALE input as one value per argument. */
  decodeArgs(method: string | AbiMethod, input: BytesLike): unknown[] {
    const m = typeof method === "string" ? this.method(method) : method;
    described(m);
    const reader = new ScaleReader(toBytes(input));
    const values = m.args.map((param) => decodeValue(param.ty!, reader));
    if (reader.remaining !== 0) throw new AbiError(`${reader.remaining} trailing bytes after the arguments`);
    return values;
  }

  /** `method`'s return data as a value (`null` for a method that returns nothing). */
  decodeResult(method: string | AbiMethod, data: BytesLike): unknown {
    const m = typeof method === "string" ? this.method(method) : method;
    described(m);
    const bytes = toBytes(data);
    if (m.returnType) return decodeExact(m.returnType, bytes);
    if (bytes.length !== 0) throw new AbiError(`${bytes.length} trailing bytes: \`${m.name}\` returns nothing`);
    return null;
  }

  /** The event declared with topic 0 `topic`. */
  eventByTopic(topic: string): AbiEvent | undefined {
    const wanted = topic.toLowerCase();
    return this.events.find((e) => e.topic === wanted);
  }

  /**
   * `event` decoded: `null` if no declared event has its topic 0. Indexed integers and `bool`s
   * are read from their topics, other indexed fields shown as the topic's hex.
   */
  decodeEvent(event: { topics: readonly string[]; data: string }): DecodedEvent | null {
    const declared = event.topics[0] === undefined ? undefined : this.eventByTopic(event.topics[0]);
    if (!declared) return null;
    if (declared.undescribed) {
      throw new AbiError(`event \`${declared.name}\` is not described: ${declared.undescribed}`);
    }
    const topics = event.topics.slice(1);
    const data = new ScaleReader(toBytes(event.data));
    const fields: Record<string, unknown> = {};
    for (const field of declared.fields) {
      if (field.indexed) {
        const topic = topics.shift();
        if (topic === undefined) throw new AbiError(`event \`${declared.name}\`: no topic for \`${field.name}\``);
        fields[field.name] = decodeTopic(field.ty!, toBytes(topic));
      } else {
        fields[field.name] = decodeValue(field.ty!, data);
      }
    }
    if (data.remaining !== 0) throw new AbiError(`event \`${declared.name}\`: ${data.remaining} trailing bytes`);
    return { name: declared.name, fields };
  }
}

function method(raw: RawMethod, registry: TypeRegistry): AbiMethod {
  const init = raw.init ?? false;
  const migrate = raw.migrate ?? false;
  const m: AbiMethod = {
    name: raw.name,
    export: init ? "deploy" : migrate ? "migrate" : raw.name,
    args: raw.args.map((a) => ({ name: a.name, type: a.type })),
    payable: raw.payable ?? false,
    init,
    migrate,
  };
  if (raw.returns !== undefined) m.returns = raw.returns;
  try {
    for (const arg of m.args) arg.ty = registry.parse(arg.type);
    if (raw.returns !== undefined) m.returnType = registry.parse(raw.returns);
  } catch (error) {
    for (const arg of m.args) delete arg.ty;
    delete m.returnType;
    m.undescribed = reason(error);
  }
  return m;
}

function described(m: AbiMethod): void {
  if (m.undescribed) {
    throw new AbiError(`\`${m.name}\` is not described (${m.undescribed}): pass its arguments as SCALE hex`);
  }
}
