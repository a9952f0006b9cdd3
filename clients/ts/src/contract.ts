/** A deployed contract, called by method name with JS values through its ABI. */

import { type ContractAbi, type DecodedEvent } from "./abi/index.js";
import type { WeftClient } from "./client.js";
import { AbiError, ExecutionError } from "./errors.js";
import { type BytesLike, fromHex, toBytes, toHex } from "./hex.js";
import { type IntLike, toBigInt } from "./transaction.js";
import type { EventLog, Receipt } from "./views.js";
import type { Wallet } from "./wallet.js";

/** Options of a contract call sent as a transaction. */
export interface CallOptions {
  /** Value sent with the call (payable methods only). */
  value?: IntLike;
  /** Gas limit (default: the node's estimate). */
  gasLimit?: IntLike;
  /** Gas price (default 1). */
  gasPrice?: IntLike;
}

/** Options of a view (a dry run). */
export interface ViewOptions {
  /** The caller (default: the zero address). */
  from?: string;
  /** Value sent, which the caller must hold. */
  value?: IntLike;
  /** Run against the state after this block. */
  block?: number | "latest" | "earliest";
}

/** What a successful call transaction did. */
export interface CallOutcome {
  /** Its receipt. */
  receipt: Receipt;
  /** The method's result, decoded. */
  result: unknown;
  /** The events of the receipt that this contract's ABI declares, decoded, in order. */
  events: DecodedEvent[];
}

/** The text of revert data, when it is printable UTF-8 (the SDK's `require` and panics revert with text). */
export function revertReason(data: string): string | undefined {
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(fromHex(data));
    // eslint-disable-next-line no-control-regex
    return text.length > 0 && !/[\u0000-\u001f\u007f]/.test(text) ? text : undefined;
  } catch {
    return undefined;
  }
}

/** The {@link ExecutionError} for a receipt or dry run that did not succeed. */
export function executionError(
  what: string,
  ended: { status: string; trap?: string | null; return_data: string },
): ExecutionError {
  const reason = ended.status === "revert" ? revertReason(ended.return_data) : undefined;
  const detail =
    ended.status === "revert"
      ? `reverted${reason !== undefined ? `: ${reason}` : ` with ${ended.return_data}`}`
      : ended.status === "trap"
        ? `trapped: ${ended.trap ?? "?"}`
        : ended.status.replaceAll("_", " ");
  return new ExecutionError(`${what} ${detail}`, ended, reason);
}

/** A contract at an address, with its ABI. */
export class Contract {
  constructor(
    /** The client it talks through. */
    readonly client: WeftClient,
    /** Its address, `0x` hex. */
    readonly address: string,
    /** Its ABI, from its `weft_abi` section. */
    readonly abi: ContractAbi,
  ) {}

  /** Runs `method` without a transaction and returns its decoded result. */
  async view(method: string, args: readonly unknown[] = [], options: ViewOptions = {}): Promise<unknown> {
    const m = this.abi.method(method);
    const result = await this.client.call({
      to: this.address,
      method: m.export,
      args: toHex(this.abi.encodeArgs(m, args)),
      ...(options.from !== undefined && { from: options.from }),
      ...(options.value !== undefined && { value: toBigInt(options.value).toString() }),
      ...(options.block !== undefined && { block: options.block }),
    });
    if (result.status !== "success") throw executionError(`${method}`, result);
    return this.abi.decodeResult(m, result.return_data);
  }

  /**
   * Sends a transaction from `wallet` calling `method`, waits for its receipt and returns the
   * decoded result and events; a call that does not succeed throws {@link ExecutionError}.
   */
  async call(wallet: Wallet, method: string, args: readonly unknown[] = [], options: CallOptions = {}): Promise<CallOutcome> {
    const m = this.abi.method(method);
    if (options.value !== undefined && toBigInt(options.value) !== 0n && !m.payable) {
      throw new AbiError(`\`${method}\` is not payable: it refuses value`);
    }
    const pending = await this.client.send(wallet, {
      action: { kind: "call", to: this.address, method: m.export, args: this.abi.encodeArgs(m, args) },
      ...options,
    });
    const receipt = await pending.wait();
    if (receipt.status !== "success") throw executionError(`${method}`, receipt);
    return { receipt, result: this.abi.decodeResult(m, receipt.return_data), events: this.decodeEvents(receipt.events) };
  }

  /** The events among `events` that this contract emitted and its ABI declares, decoded. */
  decodeEvents(events: readonly EventLog[]): DecodedEvent[] {
    return events
      .filter((e) => e.address === this.address)
      .map((e) => this.abi.decodeEvent(e))
      .filter((e): e is DecodedEvent => e !== null);
  }

  /** SCALE arguments for `method`, for a caller that sends the transaction itself. */
  encodeArgs(method: string, args: readonly unknown[]): Uint8Array {
    return this.abi.encodeArgs(method, args);
  }

  /** `method`'s return data decoded. */
  decodeResult(method: string, data: BytesLike): unknown {
    return this.abi.decodeResult(method, toBytes(data));
  }
}
