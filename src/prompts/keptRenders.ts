import type { ChatMessage } from '../types.js';

/**
 * Prompts rendered while the dataset was validated, kept so the run does not render them a
 * second time. Bounded: a run of a million rows keeps the first ones only (the rest are rendered
 * again when they run), and each kept render is handed out once and dropped, so nothing is held
 * after its case has started.
 */
export class KeptRenders {
  private readonly byKey = new Map<string, ChatMessage[]>();
  private chars = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxChars: number,
  ) {}

  /**
   * Keeps `messages` under `key` when the bounds allow; otherwise they are not kept. A newer
   * render under the same key replaces the older (a dataset checked again before another run).
   */
  keep(key: string, messages: ChatMessage[]): void {
    if (this.byKey.has(key)) this.take(key);
    if (this.byKey.size >= this.maxEntries) return;
    let size = key.length;
    for (let i = 0; i < messages.length; i++) size += messages[i]!.content.length;
    if (this.chars + size > this.maxChars) return;
    this.chars += size;
    this.byKey.set(key, messages);
  }

  /** The render kept under `key`, once: it is dropped as it is handed out. */
  take(key: string): ChatMessage[] | undefined {
    const messages = this.byKey.get(key);
    if (messages === undefined) return undefined;
    this.byKey.delete(key);
    this.chars -= key.length;
    for (let i = 0; i < messages.length; i++) this.chars -= messages[i]!.content.length;
    return messages;
  }

  get size(): number {
    return this.byKey.size;
  }
}
