/** A small DOM builder and the formatting every page shares. */

/** A child of {@link h}: a node, text, or nothing. */
export type Child = Node | string | number | null | undefined | false;

/** An element with attributes (`on…` are listeners) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, unknown> = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value as EventListener);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** A link to an explorer route. */
export const link = (route: string, text: Child) => h("a", { href: `#/${route}` }, text);

/** A hash or address shortened for lists (the full value in the title). */
export function short(hex: string): HTMLElement {
  return h("code", { title: hex }, hex.length > 20 ? `${hex.slice(0, 10)}…${hex.slice(-8)}` : hex);
}

/** A table of label → value rows. */
export function fields(rows: [string, Child | Child[]][]): HTMLElement {
  return h(
    "table",
    { class: "fields" },
    rows.map(([label, value]) => h("tr", {}, h("th", {}, label), h("td", {}, value))),
  );
}

/** A table with a header row, wrapped to scroll sideways on narrow screens. */
export function table(head: string[], rows: (Child | Child[])[][], narrowHidden: number[] = []): HTMLElement {
  const cls = (i: number) => (narrowHidden.includes(i) ? "hide-narrow" : undefined);
  return h(
    "div",
    { class: "scroll" },
    h(
      "table",
      {},
      h("tr", {}, head.map((label, i) => h("th", { class: cls(i) }, label))),
      rows.map((row) => h("tr", {}, row.map((cell, i) => h("td", { class: cls(i) }, cell)))),
    ),
  );
}

/** A status word, coloured. */
export const status = (word: string) => h("span", { class: `status-${word}` }, word.replaceAll("_", " "));

/** A value as JSON text: a bigint alone as its digits, a bigint inside a value as a decimal string. */
export const json = (value: unknown) =>
  typeof value === "bigint"
    ? value.toString()
    : JSON.stringify(value, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 1).replace(/\n\s*/g, " ");

/** Unix seconds as a local date and time. */
export const time = (seconds: number) => new Date(seconds * 1000).toLocaleString();
