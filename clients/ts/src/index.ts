/**
 * `@weft/client`: Weft's TypeScript client.
 *
 * - {@link Wallet} signs transactions byte for byte as Weft does (`docs/ENCODING.md`).
 * - {@link WeftClient} reads the chain, sends transactions and waits for receipts over HTTP,
 *   and subscribes to new heads and logs over WebSocket.
 * - {@link Contract} calls methods by name with JS values through the contract's `weft_abi`
 *   section (`contract.call(wallet, "transfer", [bob, 250n])`, `contract.view("balance_of", [bob])`).
 * - Errors are typed: {@link RpcError} with the node's code, {@link ExecutionError} with the
 *   receipt, {@link AbiError}, {@link EncodingError}, {@link TransportError}.
 */

export * from "./abi/index.js";
export * from "./client.js";
export * from "./contract.js";
export * from "./errors.js";
export * from "./hex.js";
export * from "./rpc.js";
export * from "./scale.js";
export * from "./transaction.js";
export type * from "./views.js";
export * from "./wallet.js";
