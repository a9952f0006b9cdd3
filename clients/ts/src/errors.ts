/** Errors of the Weft client: one class per tier, each with what a caller branches on. */

/** The base of every error this package throws. */
export class WeftError extends Error {
  override name = "WeftError";
}

/** Bytes or text that are not what they claim to be (hex, SCALE, a wasm module, a type). */
export class EncodingError extends WeftError {
  override name = "EncodingError";
}

/** A value that does not fit its ABI type, or a method or event the ABI does not describe. */
export class AbiError extends WeftError {
  override name = "AbiError";
}

/** The node could not be reached, or answered something that is not JSON-RPC. */
export class TransportError extends WeftError {
  override name = "TransportError";
}

/** A receipt that did not come in time. */
export class TimeoutError extends WeftError {
  override name = "TimeoutError";
}

/**
 * JSON-RPC error codes of the node (`weft_rpc::codes`): a caller compares `RpcError.code`
 * with these. JSON-RPC's own are -32700 (parse), -32600 (invalid request), -32601 (no such
 * method) and -32602 (invalid params).
 */
export const RpcCode = {
  TxRejected: -32000,
  NodeFault: -32001,
  ExecutionTrapped: -32002,
  ExecutionReverted: -32003,
  OutOfGas: -32004,
  Timeout: -32020,
  BadSignature: -32030,
  NonceTooLow: -32031,
  NonceTooHigh: -32032,
  InsufficientFunds: -32033,
  GasLimit: -32034,
  PoolFull: -32035,
  DevRefused: -32040,
  AbiMismatch: -32041,
  RangeTooWide: -32042,
  InvalidParams: -32602,
  MethodNotFound: -32601,
} as const;

/** An error the node answered: its code, message and data as sent. */
export class RpcError extends WeftError {
  override name = "RpcError";

  constructor(
    /** The RPC method that failed. */
    readonly method: string,
    /** The JSON-RPC error code (see {@link RpcCode}). */
    readonly code: number,
    message: string,
    /** The error's `data`: a rejection's `{reason, message}`, a failed call's result. */
    readonly data?: unknown,
  ) {
    super(`${method}: ${message} (code ${code})`);
  }

  /** A rejected transaction's reason (`nonce_too_low`, `bad_signature`, ...), if the node gave one. */
  get reason(): string | undefined {
    const data = this.data as { reason?: unknown } | undefined;
    return typeof data?.reason === "string" ? data.reason : undefined;
  }
}

/** A transaction that was included but did not succeed: its receipt says how it ended. */
export class ExecutionError extends WeftError {
  override name = "ExecutionError";

  constructor(
    message: string,
    /** The receipt, or the dry run's result. */
    readonly receipt: { status: string; trap?: string | null; return_data: string },
    /** The revert reason as text, when the revert data is a SCALE string. */
    readonly revertReason?: string,
  ) {
    super(message);
  }
}
