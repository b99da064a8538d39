// DOM helpers: every string reaches the DOM as text (textContent / createElement),
// never as markup.

export type Child = Node | string | null | undefined | false;

export interface Props {
  class?: string; id?: string; role?: string; title?: string; tabIndex?: number;
  aria?: Record<string, string>; data?: Record<string, string>; attrs?: Record<string, string>;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  apply(el, props);
  append(el, children);
  return el;
}

/** A custom element (e.g. vscode-elements) created the same way. */
export function ce(tag: string, props: Props = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  apply(el, props);
  append(el, children);
  return el;
}

function apply(el: Element, p: Props): void {
  if (p.class) el.className = p.class;
  if (p.id) el.id = p.id;
  if (p.role) el.setAttribute('role', p.role);
  if (p.title) el.setAttribute('title', p.title);
  if (p.tabIndex !== undefined) (el as HTMLElement).tabIndex = p.tabIndex;
  for (const [k, v] of Object.entries(p.aria ?? {})) el.setAttribute(`aria-${k}`, v);
  for (const [k, v] of Object.entries(p.data ?? {})) el.setAttribute(`data-${k}`, v);
  for (const [k, v] of Object.entries(p.attrs ?? {})) el.setAttribute(k, v);
}

export function append(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  }
}

/** Replace all children of el (one DOM swap: no blank flash). */
export function replace(el: Element, ...children: Child[]): void {
  const frag = document.createDocumentFragment();
  append(frag, children);
  el.replaceChildren(frag);
}

/**
 * Makes `el`'s children exactly `children` with the fewest DOM moves: an element already in
 * place stays (no detach, so no style or layout work for it), others are inserted or removed.
 */
export function reconcile(el: Element, children: readonly Element[]): void {
  let cur = el.firstElementChild;
  for (const c of children) {
    if (c === cur) { cur = cur.nextElementSibling; continue; }
    el.insertBefore(c, cur);
  }
  while (cur) { const next = cur.nextElementSibling; cur.remove(); cur = next; }
}

export function icon(name: string, label?: string): HTMLElement {
  const s = h('span', { class: `codicon codicon-${name}` });
  if (label) { s.setAttribute('role', 'img'); s.setAttribute('aria-label', label); } else s.setAttribute('aria-hidden', 'true');
  return s;
}

const SVG = 'http://www.w3.org/2000/svg';
export function svg(tag: string, attrs: Record<string, string | number> = {}, ...children: (SVGElement | null)[]): SVGElement {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) if (c) el.appendChild(c);
  return el;
}
