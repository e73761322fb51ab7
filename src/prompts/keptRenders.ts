import type { ChatMessage } from '../types.js';

/**
 * Prompts rendered while the dataset was checked, kept so the run does not render them a second
 * time. Keyed by the row object itself (and the template): a render is found again only for the
 * very row that was checked (the run gets the checked rows from datasets/keptRows.ts), so a row
 * read afresh or edited is always rendered afresh, and a render dies with its row. Bounded, and
 * each kept render is handed out once and dropped, so nothing is held after its case has started.
 */
export class KeptRenders {
  private readonly byRow = new WeakMap<object, Map<string, ChatMessage[]>>();
  private entries = 0;
  private chars = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxChars: number,
  ) {}

  /**
   * Keeps `messages` for `row` under `key` (the template) when the bounds allow; otherwise they
   * are not kept. A newer render of the same row and template replaces the older.
   */
  keep(row: object, key: string, messages: ChatMessage[]): void {
    this.take(row, key);
    if (this.entries >= this.maxEntries) return;
    const size = sizeOf(messages);
    if (this.chars + size > this.maxChars) return;
    let renders = this.byRow.get(row);
    if (renders === undefined) this.byRow.set(row, (renders = new Map()));
    renders.set(key, messages);
    this.entries++;
    this.chars += size;
  }

  /** The render kept for `row` under `key`, once: it is dropped as it is handed out. */
  take(row: object, key: string): ChatMessage[] | undefined {
    const renders = this.byRow.get(row);
    const messages = renders?.get(key);
    if (messages === undefined) return undefined;
    renders!.delete(key);
    if (renders!.size === 0) this.byRow.delete(row);
    this.entries--;
    this.chars -= sizeOf(messages);
    return messages;
  }

  /** Renders kept and not handed out yet (a render whose row was dropped still counts: the bound is on keeping). */
  get size(): number {
    return this.entries;
  }
}

function sizeOf(messages: ChatMessage[]): number {
  let size = 0;
  for (let i = 0; i < messages.length; i++) size += messages[i]!.content.length;
  return size;
}
