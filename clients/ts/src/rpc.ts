/**
 * JSON-RPC 2.0 transports: requests over HTTP POST, subscriptions over one WebSocket. Errors the
 * node answers become {@link RpcError} with its code and data; a node that cannot be reached or
 * answers something else, {@link TransportError}.
 */

import { RpcError, TransportError } from "./errors.js";

interface RpcResponse {
  jsonrpc?: string;
  id?: number | string | null;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
  method?: string;
  params?: { subscription: string; result: unknown };
}

/** Sends JSON-RPC requests over HTTP. */
export class HttpTransport {
  private nextId = 1;

  constructor(readonly url: string) {}

  /** Calls `method` with positional `params`; resolves to its result. */
  async request<T>(method: string, params: unknown[] = []): Promise<T> {
    const body = JSON.stringify({ jsonrpc: "2.0", id: this.nextId++, method, params });
    let response: Response;
    try {
      response = await fetch(this.url, { method: "POST", headers: { "content-type": "application/json" }, body });
    } catch (error) {
      throw new TransportError(
        `cannot reach the node at ${this.url} — is \`weft node --dev\` running? (${(error as Error).message})`,
      );
    }
    const text = await response.text();
    let parsed: RpcResponse;
    try {
      parsed = JSON.parse(text) as RpcResponse;
    } catch {
      throw new TransportError(`${method}: HTTP ${response.status}: ${text.slice(0, 200)}`);
    }
    return unwrap<T>(method, parsed);
  }
}

function unwrap<T>(method: string, response: RpcResponse): T {
  if (response.error) throw new RpcError(method, response.error.code, response.error.message, response.error.data);
  return response.result as T;
}

/** A live subscription: call `unsubscribe` to end it. */
export interface Subscription {
  /** The node's id for it. */
  readonly id: string;
  /** Ends it (`weft_unsubscribe`). */
  unsubscribe(): Promise<void>;
}

/** The WebSocket constructor to use (the platform's by default). */
export type WebSocketConstructor = new (url: string) => WebSocket;

/** JSON-RPC over one WebSocket: requests and the `weft_subscription` notifications. */
export class WsTransport {
  private socket?: Promise<WebSocket>;
  private nextId = 1;
  private readonly pending = new Map<number, { method: string; resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Map<string, (item: unknown) => void>();

  constructor(
    readonly url: string,
    private readonly WebSocketImpl: WebSocketConstructor | undefined = globalThis.WebSocket,
  ) {}

  private connect(): Promise<WebSocket> {
    if (this.socket) return this.socket;
    const Impl = this.WebSocketImpl;
    if (!Impl) {
      return Promise.reject(
        new TransportError("no WebSocket in this runtime: pass one (Node.js 20: run with --experimental-websocket)"),
      );
    }
    this.socket = new Promise((resolve, reject) => {
      const socket = new Impl(this.url);
      socket.onopen = () => resolve(socket);
      socket.onerror = () => reject(new TransportError(`cannot reach the node at ${this.url} over WebSocket`));
      socket.onclose = () => {
        this.socket = undefined;
        for (const { method, reject: fail } of this.pending.values()) {
          fail(new TransportError(`${method}: the WebSocket to ${this.url} closed`));
        }
        this.pending.clear();
      };
      socket.onmessage = (message: MessageEvent) => this.receive(String(message.data));
    });
    return this.socket;
  }

  private receive(text: string): void {
    let message: RpcResponse;
    try {
      message = JSON.parse(text) as RpcResponse;
    } catch {
      return;
    }
    if (message.method !== undefined && message.params) {
      this.listeners.get(message.params.subscription)?.(message.params.result);
      return;
    }
    const waiting = typeof message.id === "number" ? this.pending.get(message.id) : undefined;
    if (!waiting) return;
    this.pending.delete(message.id as number);
    try {
      waiting.resolve(unwrap(waiting.method, message));
    } catch (error) {
      waiting.reject(error as Error);
    }
  }

  /** Calls `method` over the WebSocket. */
  async request<T>(method: string, params: unknown[] = []): Promise<T> {
    const socket = await this.connect();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject });
      socket.send(JSON.stringify({ jsonrpc: "2.0", id, method, params }));
    });
  }

  /** Subscribes with `weft_subscribe(params..)`; `onItem` gets each notification's result. */
  async subscribe(params: unknown[], onItem: (item: unknown) => void): Promise<Subscription> {
    const id = await this.request<string>("weft_subscribe", params);
    this.listeners.set(id, onItem);
    return {
      id,
      unsubscribe: async () => {
        this.listeners.delete(id);
        await this.request<boolean>("weft_unsubscribe", [id]);
      },
    };
  }

  /** Closes the socket (pending requests fail). */
  close(): void {
    void this.socket?.then((s) => s.close());
    this.socket = undefined;
  }
}
