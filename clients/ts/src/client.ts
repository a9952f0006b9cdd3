/** The Weft client: reads, sends signed transactions, deploys and calls contracts, subscribes. */

import { ContractAbi } from "./abi/index.js";
import { Contract, executionError } from "./contract.js";
import { AbiError, TimeoutError } from "./errors.js";
import { type BytesLike, fromHex, toBytes, toHex } from "./hex.js";
import { HttpTransport, type Subscription, type WebSocketConstructor, WsTransport } from "./rpc.js";
import { type Action, type IntLike, type SignedTransaction, toBigInt } from "./transaction.js";
import type {
  Block,
  CallRequest,
  CallResult,
  DevAccount,
  Log,
  LogFilter,
  Receipt,
  Trace,
  TransactionInfo,
} from "./views.js";
import type { Wallet } from "./wallet.js";

/** The gas limit of a deploy, upload or instantiate when none is given (as `weft_sendTransaction`). */
export const DEFAULT_DEPLOY_GAS = 100_000_000n;

/** Options of a client. */
export interface ClientOptions {
  /** The WebSocket URL (default: the HTTP URL with `ws`). */
  wsUrl?: string;
  /** The WebSocket constructor (default: the platform's). */
  WebSocket?: WebSocketConstructor;
  /** How often to poll for a receipt, in ms (default 50). */
  pollMs?: number;
  /** How long to wait for a receipt, in ms (default 30,000). */
  timeoutMs?: number;
}

/** What to send: an action, with optional value, gas and nonce (defaults from the node). */
export interface SendRequest {
  action: Action;
  value?: IntLike;
  gasLimit?: IntLike;
  gasPrice?: IntLike;
  /** Default: the pending nonce, so several sends in a row do not collide. */
  nonce?: IntLike;
}

/** A sent transaction. */
export interface PendingTransaction {
  /** Its hash. */
  hash: string;
  /** Its bytes as sent. */
  signed: SignedTransaction;
  /** Waits for its receipt. */
  wait(): Promise<Receipt>;
}

/** Options of a deploy. */
export interface DeployOptions {
  /** The constructor's arguments, as values through the ABI (or SCALE bytes). */
  args?: readonly unknown[] | Uint8Array;
  value?: IntLike;
  salt?: BytesLike;
  gasLimit?: IntLike;
}

type Tag = number | "latest" | "earliest";

/** A client of one Weft node. */
export class WeftClient {
  /** Requests over HTTP. */
  readonly http: HttpTransport;
  /** Requests and subscriptions over WebSocket, opened on first use. */
  readonly ws: WsTransport;
  private chain?: Promise<number>;
  private readonly pollMs: number;
  private readonly timeoutMs: number;

  constructor(url = "http://127.0.0.1:8645", options: ClientOptions = {}) {
    this.http = new HttpTransport(url);
    this.ws = new WsTransport(options.wsUrl ?? url.replace(/^http/, "ws"), options.WebSocket ?? globalThis.WebSocket);
    this.pollMs = options.pollMs ?? 50;
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** Calls any RPC method. */
  request<T>(method: string, params: unknown[] = []): Promise<T> {
    return this.http.request<T>(method, params);
  }

  /** The chain id (asked once). */
  chainId(): Promise<number> {
    this.chain ??= this.request<number>("weft_chainId").catch((error: unknown) => {
      this.chain = undefined;
      throw error;
    });
    return this.chain;
  }

  /** The head's height. */
  blockNumber(): Promise<number> {
    return this.request("weft_blockNumber");
  }

  /** The block at a height or tag; `null` if there is none. */
  getBlock(tag: Tag = "latest", full = false): Promise<Block | null> {
    return this.request("weft_getBlockByNumber", [tag, full]);
  }

  /** The block with `hash`; `null` if unknown. */
  getBlockByHash(hash: string, full = false): Promise<Block | null> {
    return this.request("weft_getBlockByHash", [hash, full]);
  }

  /** The included transaction `hash`; `null` while pending or unknown. */
  getTransaction(hash: string): Promise<TransactionInfo | null> {
    return this.request("weft_getTransactionByHash", [hash]);
  }

  /** The receipt of `hash`; `null` while pending or unknown. */
  getReceipt(hash: string): Promise<Receipt | null> {
    return this.request("weft_getTransactionReceipt", [hash]);
  }

  /** The balance of `address` at the head. */
  async getBalance(address: string): Promise<bigint> {
    return BigInt(await this.request<string>("weft_getBalance", [address]));
  }

  /** The next nonce of `address` at the head. */
  getNonce(address: string): Promise<number> {
    return this.request("weft_getNonce", [address]);
  }

  /** The nonce a new transaction from `address` takes (after its pending ones). */
  getPendingNonce(address: string): Promise<number> {
    return this.request("weft_getPendingNonce", [address]);
  }

  /** The code of the contract at `address`; `null` if there is none. */
  async getCode(address: string): Promise<Uint8Array | null> {
    const code = await this.request<string | null>("weft_getCode", [address]);
    return code === null ? null : fromHex(code);
  }

  /** Storage `key` of the contract at `address`; `null` if unset. */
  getStorageAt(address: string, key: BytesLike): Promise<string | null> {
    return this.request("weft_getStorageAt", [address, toHex(toBytes(key))]);
  }

  /** A dry run; nothing is kept. */
  call(request: CallRequest): Promise<CallResult> {
    return this.request("weft_call", [request]);
  }

  /** The smallest gas limit with which a transaction making this call succeeds. */
  estimateGas(request: CallRequest): Promise<number> {
    return this.request("weft_estimateGas", [request]);
  }

  /** The logs matching `filter`. */
  getLogs(filter: LogFilter = {}): Promise<Log[]> {
    return this.request("weft_getLogs", [filter]);
  }

  /** The trace of an included transaction; `null` if unknown or pruned. */
  traceTransaction(hash: string): Promise<Trace | null> {
    return this.request("weft_traceTransaction", [hash]);
  }

  /** A dry run's trace. */
  traceCall(request: CallRequest): Promise<Trace> {
    return this.request("weft_traceCall", [request]);
  }

  /** Submits signed bytes; returns the transaction's hash. */
  sendRawTransaction(bytes: Uint8Array): Promise<string> {
    return this.request("weft_sendRawTransaction", [toHex(bytes)]);
  }

  /** Signs `request` with `wallet` and sends it; defaults come from the node. */
  async send(wallet: Wallet, request: SendRequest): Promise<PendingTransaction> {
    const value = toBigInt(request.value ?? 0n, "value");
    const [chainId, nonce, gasLimit] = await Promise.all([
      this.chainId(),
      request.nonce ?? this.getPendingNonce(wallet.address),
      request.gasLimit ?? this.estimateFor(wallet, request.action, value),
    ]);
    const signed = wallet.sign({
      chainId,
      nonce,
      gasLimit,
      gasPrice: request.gasPrice ?? 1n,
      value,
      action: request.action,
    });
    const hash = await this.sendRawTransaction(signed.bytes);
    return { hash, signed, wait: () => this.waitForReceipt(hash) };
  }

  private async estimateFor(wallet: Wallet, action: Action, value: bigint): Promise<bigint> {
    switch (action.kind) {
      case "call":
        return BigInt(
          await this.estimateGas({
            from: wallet.address,
            to: toHex(toBytes(action.to)),
            method: action.method,
            args: toHex(toBytes(action.args ?? "0x")),
            value: value.toString(),
          }),
        );
      case "transfer":
        return BigInt(await this.estimateGas({ from: wallet.address, to: toHex(toBytes(action.to)), value: value.toString() }));
      default:
        return DEFAULT_DEPLOY_GAS;
    }
  }

  /** Waits for the receipt of `hash` (polling), up to the client's timeout. */
  async waitForReceipt(hash: string, timeoutMs = this.timeoutMs): Promise<Receipt> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const receipt = await this.getReceipt(hash);
      if (receipt) return receipt;
      if (Date.now() > deadline) throw new TimeoutError(`no receipt for ${hash} after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
    }
  }

  /** Moves `amount` from `wallet` to `to`; resolves to the receipt. */
  async transfer(wallet: Wallet, to: string, amount: IntLike): Promise<Receipt> {
    const pending = await this.send(wallet, { action: { kind: "transfer", to }, value: amount });
    return pending.wait();
  }

  /**
   * Deploys `code` from `wallet`, running its constructor on `options.args` (values through
   * the code's ABI, or SCALE bytes); resolves to the contract once the deploy succeeded.
   */
  async deploy(wallet: Wallet, code: BytesLike, options: DeployOptions = {}): Promise<Contract> {
    const bytes = toBytes(code);
    const abi = (await ContractAbi.fromWasm(bytes)) ?? ContractAbi.fromSection("");
    let initArgs: Uint8Array;
    if (options.args instanceof Uint8Array) {
      initArgs = options.args;
    } else {
      const constructor = abi.constructorMethod;
      const args = options.args ?? [];
      if (!constructor && args.length > 0) throw new AbiError("the code has no constructor: it takes no arguments");
      initArgs = constructor ? abi.encodeArgs(constructor, args) : new Uint8Array();
    }
    const salt = options.salt ?? new Uint8Array(32);
    const pending = await this.send(wallet, {
      action: { kind: "deploy", code: bytes, initArgs, salt },
      ...(options.value !== undefined && { value: options.value }),
      ...(options.gasLimit !== undefined && { gasLimit: options.gasLimit }),
    });
    const receipt = await pending.wait();
    if (receipt.status !== "success") throw executionError("deploy", receipt);
    if (receipt.contract_address === null) throw executionError("deploy", receipt);
    return new Contract(this, receipt.contract_address, abi);
  }

  /** The contract at `address`, with the ABI of its code. */
  async contract(address: string): Promise<Contract> {
    const code = await this.getCode(address);
    if (!code) throw new AbiError(`no contract at ${address}`);
    return new Contract(this, address, (await ContractAbi.fromWasm(code)) ?? ContractAbi.fromSection(""));
  }

  /** Calls `onHead` with each new block's header (WebSocket). */
  subscribeNewHeads(onHead: (block: Block) => void): Promise<Subscription> {
    return this.ws.subscribe(["newHeads"], (item) => onHead(item as Block));
  }

  /** Calls `onLog` with each log of each new block that matches `filter` (WebSocket). */
  subscribeLogs(filter: LogFilter, onLog: (log: Log) => void): Promise<Subscription> {
    return this.ws.subscribe(["logs", filter], (item) => onLog(item as Log));
  }

  /** Calls `onHash` with the hash of each transaction the pool admits (WebSocket). */
  subscribePendingTransactions(onHash: (hash: string) => void): Promise<Subscription> {
    return this.ws.subscribe(["pendingTransactions"], (item) => onHash(item as string));
  }

  /** Devnet: the prefunded accounts with their keys. */
  devAccounts(): Promise<DevAccount[]> {
    return this.request("dev_accounts");
  }

  /** Devnet: produces `count` blocks now; returns the last one's height. */
  devMine(count = 1): Promise<number> {
    return this.request("dev_mine", [count]);
  }

  /** Devnet: records the chain; returns the id {@link devRevert} takes. */
  devSnapshot(): Promise<number> {
    return this.request("dev_snapshot");
  }

  /** Devnet: returns the chain to snapshot `id`; returns the head height after it. */
  devRevert(id: number): Promise<number> {
    return this.request("dev_revert", [id]);
  }

  /** Devnet: sets the balance of `address`. */
  devSetBalance(address: string, balance: IntLike): Promise<null> {
    return this.request("dev_setBalance", [address, toBigInt(balance).toString()]);
  }

  /** Devnet: moves the clock forward; returns the total shift. */
  devIncreaseTime(seconds: number): Promise<number> {
    return this.request("dev_increaseTime", [seconds]);
  }

  /** Closes the WebSocket, if one is open. */
  close(): void {
    this.ws.close();
  }
}
