import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/** Bytes gathered before handing them to the file stream: few syscalls, bounded memory. */
const FLUSH_AT = 256 * 1024;

/**
 * Writes a large file piece by piece, without building it in memory, and atomically: it goes to
 * a temporary file that replaces the target only on `commit()`, so a reader (or a re-render
 * that fails half way) never leaves a truncated report behind.
 */
export class AtomicFileSink {
  private readonly tmp: string;
  private readonly stream: WriteStream;
  private pending: string[] = [];
  private pendingChars = 0;
  private failed: Error | null = null;
  private finished = false;

  private constructor(readonly file: string) {
    this.tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    this.stream = createWriteStream(this.tmp, { encoding: 'utf8' });
    this.stream.on('error', (err) => {
      this.failed = err;
    });
  }

  static async open(file: string): Promise<AtomicFileSink> {
    await mkdir(path.dirname(file), { recursive: true });
    return new AtomicFileSink(file);
  }

  /** Queues text; waits only when enough has gathered to be worth a write (and for backpressure). */
  async write(chunk: string): Promise<void> {
    this.pending.push(chunk);
    this.pendingChars += chunk.length;
    if (this.pendingChars >= FLUSH_AT) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.failed) throw this.failed;
    if (this.pending.length === 0) return;
    const data = this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    if (!this.stream.write(data)) await once(this.stream, 'drain');
    if (this.failed) throw this.failed;
  }

  /** Finishes the file and moves it into place. */
  async commit(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    await this.flush();
    await new Promise<void>((resolve, reject) => this.stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
    if (this.failed) throw this.failed;
    await rename(this.tmp, this.file);
  }

  /** Drops the temporary file (after an error), leaving any previous version of the target as it was. */
  async abort(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    this.pending = [];
    await new Promise<void>((resolve) => this.stream.end(() => resolve()));
    await rm(this.tmp, { force: true });
  }
}

/** Runs `fill` against a sink for `file`, committing on success and cleaning up on failure. */
export async function writeFileStreaming(file: string, fill: (sink: AtomicFileSink) => Promise<void>): Promise<void> {
  const sink = await AtomicFileSink.open(file);
  try {
    await fill(sink);
  } catch (err) {
    await sink.abort();
    throw err;
  }
  await sink.commit();
}
