import { openAsBlob } from 'node:fs';
import { open, rm, type FileHandle } from 'node:fs/promises';
import type { BatchFraming, BatchOutcome } from '../../types.js';
import { StringTable } from '../../util/stringTable.js';
import { grownTo } from '../../util/arrays.js';

/**
 * Disk-backed halves of batch mode, so memory stays flat however large a batch is:
 *
 * - `LineSpool`: a queue's request lines, appended to a file as they come (buffered in chunks,
 *   joined as the provider's body frames them); sent from the file when the queue is submitted.
 * - `OutcomeSpool`: a collected batch's outcomes, streamed to a file line by line with only an
 *   index (custom_id → offset, length, taken) kept in memory, in typed arrays; each outcome is
 *   read back when a call takes it.
 */

const CHUNK = 1 << 20;

export class LineSpool {
  lines = 0;
  bytes = 0;
  private buffered: string[] = [];
  private bufferedBytes = 0;
  private written: Promise<unknown> = Promise.resolve();
  private handle?: Promise<FileHandle>;

  constructor(
    readonly file: string,
    private readonly framing: BatchFraming,
  ) {}

  push(line: string, bytes: number): void {
    this.buffered.push(line);
    this.bufferedBytes += bytes;
    this.lines++;
    this.bytes += bytes;
    if (this.bufferedBytes >= CHUNK) this.writeOut();
  }

  /**
   * The framed body, once every line is on disk: a Blob read from the file as it is sent, so a
   * batch of any size is never whole in memory. The file stays until `remove`.
   */
  async body(): Promise<Blob> {
    this.writeOut();
    await this.written;
    if (this.handle) await (await this.handle).close();
    this.handle = undefined;
    const lines = this.lines > 0 ? [await openAsBlob(this.file)] : [];
    return new Blob([this.framing.head, ...lines, this.framing.tail], { type: this.framing.type });
  }

  async remove(): Promise<void> {
    if (this.handle) await (await this.handle).close().catch(() => undefined);
    this.handle = undefined;
    await rm(this.file, { force: true });
  }

  private writeOut(): void {
    if (this.buffered.length === 0) return;
    const { separator } = this.framing;
    // Lines already on disk need a separator before the first of this chunk.
    const lead = this.lines > this.buffered.length ? separator : '';
    const text = lead + this.buffered.join(separator);
    this.buffered = [];
    this.bufferedBytes = 0;
    this.handle ??= open(this.file, 'w+');
    const handle = this.handle;
    this.written = this.written.then(async () => (await handle).appendFile(text));
  }
}

export class OutcomeSpool {
  /** custom_id → entry number; each entry's place in the file, and whether a call took it. */
  private readonly ids = new StringTable();
  private offsets = new Float64Array(1024);
  private lengths = new Uint32Array(1024);
  private takenFlags = new Uint8Array(1024);
  private left = 0;

  private constructor(
    private readonly fh: FileHandle,
    private readonly file: string,
  ) {}

  /** Streams `outcomes` to `file`, keeping only where each one is. */
  static async fill(file: string, outcomes: AsyncIterable<BatchOutcome>): Promise<OutcomeSpool> {
    const fh = await open(file, 'w+');
    const spool = new OutcomeSpool(fh, file);
    try {
      let chunk: Buffer[] = [];
      let chunkBytes = 0;
      let offset = 0;
      for await (const o of outcomes) {
        const buf = Buffer.from(JSON.stringify(o), 'utf8');
        spool.place(o.customId, offset, buf.length);
        offset += buf.length;
        chunk.push(buf);
        chunkBytes += buf.length;
        if (chunkBytes >= CHUNK) {
          await fh.write(Buffer.concat(chunk));
          chunk = [];
          chunkBytes = 0;
        }
      }
      if (chunk.length > 0) await fh.write(Buffer.concat(chunk));
      return spool;
    } catch (err) {
      await spool.close();
      throw err;
    }
  }

  /** Outcomes no call has taken yet. */
  get size(): number {
    return this.left;
  }

  /** The outcome is here and not taken yet. */
  has(customId: string): boolean {
    const e = this.ids.get(customId);
    return e !== undefined && this.takenFlags[e] === 0;
  }

  /** The outcome was here and a call took it. */
  taken(customId: string): boolean {
    const e = this.ids.get(customId);
    return e !== undefined && this.takenFlags[e] === 1;
  }

  /** The outcome, unless it was taken. */
  async get(customId: string): Promise<BatchOutcome | undefined> {
    const e = this.ids.get(customId);
    if (e === undefined || this.takenFlags[e] === 1) return undefined;
    const buf = Buffer.alloc(this.lengths[e]!);
    await this.fh.read(buf, 0, buf.length, this.offsets[e]!);
    return JSON.parse(buf.toString('utf8')) as BatchOutcome;
  }

  take(customId: string): void {
    const e = this.ids.get(customId);
    if (e === undefined || this.takenFlags[e] === 1) return;
    this.takenFlags[e] = 1;
    this.left--;
  }

  async close(): Promise<void> {
    this.left = 0;
    this.takenFlags.fill(1);
    await this.fh.close().catch(() => undefined);
    await rm(this.file, { force: true });
  }

  /** A provider that answers a custom_id twice: the later answer is the one kept. */
  private place(customId: string, offset: number, length: number): void {
    let e = this.ids.get(customId);
    if (e === undefined) {
      e = this.ids.size;
      this.ids.set(customId, e);
      if (e === this.offsets.length) {
        this.offsets = grownTo(this.offsets, e * 2);
        this.lengths = grownTo(this.lengths, e * 2);
        this.takenFlags = grownTo(this.takenFlags, e * 2);
      }
      this.left++;
    }
    this.offsets[e] = offset;
    this.lengths[e] = length;
  }
}
