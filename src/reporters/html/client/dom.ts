/**
 * The only way the page builds DOM: createElement and textContent. No string from the data ever
 * reaches an HTML parser (no innerHTML, no href or src from data), so markup in a model output
 * shows as text.
 */

export type Child = Node | string | number | null | undefined | false;
export type Children = Child | Child[];

export interface Props {
  class?: string | null;
  text?: string | number | null;
  title?: string | null;
  id?: string;
  type?: string;
  value?: string;
  placeholder?: string;
  disabled?: boolean;
  colspan?: number;
  role?: string;
  dir?: string;
  'aria-label'?: string;
  'aria-busy'?: string;
  data?: Record<string, string | number>;
  on?: Partial<Record<'click' | 'change' | 'input' | 'keydown', (ev: Event) => void>>;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props | null, kids?: Children): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (props) {
    for (const [k, v] of Object.entries(props) as Array<[keyof Props, Props[keyof Props]]>) {
      if (v == null || v === false) continue;
      if (k === 'class') e.className = String(v);
      else if (k === 'text') e.textContent = String(v);
      else if (k === 'on') for (const [ev, fn] of Object.entries(v as NonNullable<Props['on']>)) e.addEventListener(ev, fn as EventListener);
      else if (k === 'data') for (const [d, dv] of Object.entries(v as Record<string, string | number>)) e.dataset[d] = String(dv);
      else e.setAttribute(k, v === true ? '' : String(v));
    }
  }
  add(e, kids);
  return e;
}

export function add<T extends Node>(parent: T, kids: Children): T {
  if (kids == null || kids === false) return parent;
  const list = Array.isArray(kids) ? kids : [kids];
  for (const c of list) {
    if (c == null || c === false) continue;
    parent.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
  return parent;
}

/** Text that may hold bidi controls (U+202E …): isolated so it cannot reorder what follows it. */
export function bdi(text: string, cls?: string): HTMLElement {
  return el('bdi', { class: cls ?? null, text });
}

const SVG_NS = 'http://www.w3.org/2000/svg';
export function svg(tag: string, attrs: Record<string, string | number>, text?: string | null): SVGElement {
  const e = document.createElementNS(SVG_NS, tag) as SVGElement;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text != null) e.textContent = text;
  return e;
}

export function valueText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined) return '';
  try {
    return JSON.stringify(v, null, 2);
  } catch {
    return String(v);
  }
}

export function option(value: string, label: string, selected: boolean): HTMLOptionElement {
  const o = el('option', { value, text: label });
  if (selected) o.selected = true;
  return o;
}
