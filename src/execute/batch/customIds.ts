/**
 * The custom_ids of one recorded batch, held compactly: a batch holds up to 100,000 requests, and
 * a run looks up every call's custom_id among its recorded batches. As strings in a map each id
 * costs about 100 bytes of heap; llm-eval's own ids (`le-` and 32 hex digits, batchCall.ts) are
 * kept here as 16 bytes each in one sorted buffer and found by binary search. Any other id (a
 * record written by hand or by another version) is kept as a string.
 */

const PREFIX = 'le-';
const BYTES = 16;
const OWN_ID = /^le-[0-9a-f]{32}$/;

export class CustomIdIndex {
  private constructor(
    private readonly sorted: Buffer,
    private readonly others: ReadonlySet<string>,
  ) {}

  static of(ids: Iterable<string>): CustomIdIndex {
    const own: Buffer[] = [];
    const others = new Set<string>();
    for (const id of ids) {
      if (OWN_ID.test(id)) own.push(Buffer.from(id.slice(PREFIX.length), 'hex'));
      else others.add(id);
    }
    own.sort(Buffer.compare);
    const sorted = Buffer.allocUnsafe(own.length * BYTES);
    let n = 0;
    for (let i = 0; i < own.length; i++) {
      // Identical requests share one custom_id; keep it once.
      if (n > 0 && own[i]!.equals(sorted.subarray((n - 1) * BYTES, n * BYTES))) continue;
      own[i]!.copy(sorted, n * BYTES);
      n++;
    }
    // A copy of the used part: the allocation above may sit in a larger shared pool.
    return new CustomIdIndex(Buffer.from(sorted.subarray(0, n * BYTES)), others);
  }

  get size(): number {
    return this.sorted.length / BYTES + this.others.size;
  }

  has(id: string): boolean {
    if (!OWN_ID.test(id)) return this.others.has(id);
    const key = Buffer.from(id.slice(PREFIX.length), 'hex');
    let lo = 0;
    let hi = this.sorted.length / BYTES - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.sorted.compare(key, 0, BYTES, mid * BYTES, (mid + 1) * BYTES);
      if (c === 0) return true;
      // `compare` orders the buffer's slice against `key`: positive means the slice sorts after it.
      if (c > 0) hi = mid - 1;
      else lo = mid + 1;
    }
    return false;
  }
}
