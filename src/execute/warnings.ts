/** Warnings of one caller: each message once, kept for the report and sent to `onWarning` as it comes. */
export class Warnings {
  private readonly seen = new Set<string>();
  private readonly list: string[] = [];

  constructor(private readonly onWarning?: (message: string) => void) {}

  warn(message: string): void {
    if (this.seen.has(message)) return;
    this.seen.add(message);
    this.list.push(message);
    this.onWarning?.(message);
  }

  all(): string[] {
    return [...this.list];
  }
}
