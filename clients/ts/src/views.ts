/**
 * What the node serves, as JSON (`weft_rpc`'s `*View` types): `u64` quantities are numbers,
 * balances and values decimal strings, hashes, addresses and bytes `0x` hex.
 */

/** How a transaction or a dry run ended. */
export type Status = "success" | "revert" | "out_of_gas" | "trap";

/** A block header, with its transactions when asked for with `full`. */
export interface Block {
  hash: string;
  parent_hash: string;
  height: number;
  timestamp: number;
  state_root: string;
  tx_root: string;
  receipt_root: string;
  gas_used: number;
  gas_limit: number;
  transactions: string[];
  full_transactions?: TransactionInfo[];
  finalization?: string;
}

/** An included transaction. */
export interface TransactionInfo {
  hash: string;
  from: string;
  nonce: number;
  gas_limit: number;
  gas_price: string;
  value: string;
  kind: "deploy" | "call" | "transfer" | "upload" | "instantiate";
  to: string | null;
  method: string | null;
  code_hash?: string;
  block_height: number;
  index: number;
}

/** An event with its block-wide index. */
export interface EventLog {
  address: string;
  topics: string[];
  data: string;
  log_index: number;
}

/** A log with where it was emitted (`weft_getLogs`, the `logs` subscription). */
export interface Log extends EventLog {
  block_height: number;
  block_hash: string;
  tx_hash: string;
  tx_index: number;
}

/** A receipt. */
export interface Receipt {
  tx_hash: string;
  block_height: number;
  index: number;
  status: Status;
  trap_kind: string | null;
  trap: string | null;
  gas_used: number;
  return_data: string;
  events: EventLog[];
  contract_address: string | null;
  logs: string[];
}

/** What a dry run (`weft_call`) did. */
export interface CallResult {
  status: Status;
  trap_kind: string | null;
  trap: string | null;
  return_data: string;
  gas_used: number;
  events: EventLog[];
  logs: string[];
  decoded: unknown;
}

/** A call to run without a transaction. */
export interface CallRequest {
  from?: string;
  to: string;
  method?: string;
  /** SCALE hex, or JSON values the node encodes through the ABI. */
  args?: string | unknown[];
  value?: string;
  gas?: number;
  block?: number | "latest" | "earliest";
}

/** Which logs to select; topics match by position (`null` any, a string that topic, an array any of those). */
export interface LogFilter {
  from_block?: number | "latest" | "earliest";
  to_block?: number | "latest" | "earliest";
  address?: string | string[];
  topics?: (string | string[] | null)[];
}

/** One frame of a call tree. */
export interface CallTrace {
  kind: "call" | "deploy" | "create" | "migrate";
  caller: string;
  contract: string;
  entry: string;
  value: string;
  input_len: number;
  output_len: number;
  gas_limit: number;
  gas_used: number;
  status: "success" | "revert" | "out_of_gas" | "trap" | "refused";
  trap_kind: string | null;
  trap: string | null;
  trap_function: string | null;
  host_calls: { name: string; count: number }[];
  steps: TraceStep[];
}

/** One thing a frame did. */
export type TraceStep =
  | { type: "log"; line: string }
  | ({ type: "event" } & EventLog)
  | ({ type: "frame" } & CallTrace);

/** A transaction's trace (not consensus data). */
export interface Trace {
  tx_hash?: string;
  status: Status;
  gas_used: number;
  logs: string[];
  calls: CallTrace | null;
}

/** A devnet account with its (public) key. */
export interface DevAccount {
  name: string;
  address: string;
  secret_key: string;
}
