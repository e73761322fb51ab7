import { el } from './dom.js';

/**
 * A tiny Markdown renderer for model outputs that builds DOM nodes with textContent only: headings,
 * lists, fenced code, block quotes, paragraphs, inline code, bold and italics. Raw HTML stays
 * text, and a link shows its text and its address as text: nothing on the page navigates away.
 */
export function renderMarkdown(text: string): HTMLElement {
  const root = el('div', { class: 'md' });
  const lines = text.split('\n');
  let list: HTMLElement | null = null;
  let para: string[] = [];
  const flushPara = (): void => {
    if (para.length) root.appendChild(inline(el('p'), para.join(' ')));
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*```/.test(line)) {
      flushPara();
      list = null;
      const code: string[] = [];
      for (i++; i < lines.length && !/^\s*```/.test(lines[i]!); i++) code.push(lines[i]!);
      root.appendChild(el('pre', { class: 'code', text: code.join('\n') }));
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const item = /^\s*(?:[-*+]|(\d+)[.)])\s+(.*)$/.exec(line);
    const quote = /^>\s?(.*)$/.exec(line);
    if (heading) {
      flushPara();
      list = null;
      root.appendChild(inline(el('div', { class: `mdh mdh${heading[1]!.length}` }), heading[2]!));
    } else if (item) {
      flushPara();
      const ordered = item[1] !== undefined;
      if (!list || (list.tagName === 'OL') !== ordered) root.appendChild((list = el(ordered ? 'ol' : 'ul')));
      list.appendChild(inline(el('li'), item[2]!));
    } else if (quote) {
      flushPara();
      list = null;
      root.appendChild(inline(el('blockquote'), quote[1]!));
    } else if (!line.trim()) {
      flushPara();
      list = null;
    } else {
      list = null;
      para.push(line);
    }
  }
  flushPara();
  return root;
}

const INLINE = /(`[^`]+`)|(\*\*[^*]+\*\*|__[^_]+__)|(\*[^*\s][^*]*\*|_[^_\s][^_]*_)|(!?\[[^\]]*\]\([^)\s]*\))/g;

function inline(parent: HTMLElement, text: string): HTMLElement {
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    const at = m.index ?? 0;
    if (at > last) parent.appendChild(document.createTextNode(text.slice(last, at)));
    const s = m[0];
    if (m[1]) parent.appendChild(el('code', { text: s.slice(1, -1) }));
    else if (m[2]) parent.appendChild(el('strong', { text: s.slice(2, -2) }));
    else if (m[3]) parent.appendChild(el('em', { text: s.slice(1, -1) }));
    else {
      const link = /^!?\[([^\]]*)\]\(([^)\s]*)\)$/.exec(s)!;
      parent.appendChild(el('span', { class: 'mdlink', title: 'Links are not followed in this report', text: `${link[1]} (${link[2]})` }));
    }
    last = at + s.length;
  }
  if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  return parent;
}
