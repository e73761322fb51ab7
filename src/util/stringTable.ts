import { grownTo } from './arrays.js';
import { fnv1a32 } from './hash.js';

/**
 * An exact map from strings to unsigned 32-bit numbers, held in typed arrays: the keys' characters
 * in one byte arena, an open-addressing table of entry numbers. Where a large run keeps one entry
 * per row or per request (a dataset's row ids, a collected batch's custom_ids), a `Map` of
 * strings costs about 80–140 bytes an entry and keeps V8's heap growing; this costs the key's
 * length plus about 20 bytes. A key with a character above U+00FF is kept as a string.
 */
export class StringTable {
  private arena = new Uint8Array(4096);
  private used = 0;
  private starts = new Uint32Array(256);
  private lengths = new Uint32Array(256);
  private hashes = new Uint32Array(256);
  private values = new Uint32Array(256);
  /** Entry number + 1 per slot; 0 is empty. */
  private slots = new Uint32Array(512);
  private count = 0;
  /** Keys with a character above U+00FF, as strings; their entry's length is WIDE and its start the place here. */
  private readonly wideKeys: string[] = [];

  get size(): number {
    return this.count;
  }

  get(key: string): number | undefined {
    const e = this.find(key, fnv1a32(key));
    return e < 0 ? undefined : this.values[e];
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  set(key: string, value: number): void {
    const h = fnv1a32(key);
    const found = this.find(key, h);
    if (found >= 0) {
      this.values[found] = value;
      return;
    }
    this.append(key, h, value);
  }

  /** Every key and value, in the order keys were first set. */
  *entries(): Generator<[string, number]> {
    for (let e = 0; e < this.count; e++) yield [this.keyAt(e), this.values[e]!];
  }

  /** Every key, in the order first set. */
  *keys(): Generator<string> {
    for (let e = 0; e < this.count; e++) yield this.keyAt(e);
  }

  private keyAt(e: number): string {
    const start = this.starts[e]!;
    const length = this.lengths[e]!;
    return length === WIDE ? this.wideKeys[start]! : Buffer.from(this.arena.buffer, start, length).toString('latin1');
  }

  /** The entry of `key`, or -1: its slot is probed from the hash, comparing stored hashes, then characters. */
  private find(key: string, h: number): number {
    const mask = this.slots.length - 1;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const e = this.slots[s]! - 1;
      if (e < 0) return -1;
      if (this.hashes[e] === h && this.matches(e, key)) return e;
    }
  }

  private matches(e: number, key: string): boolean {
    if (this.lengths[e] === WIDE) return this.wideKeys[this.starts[e]!] === key;
    if (this.lengths[e] !== key.length) return false;
    const start = this.starts[e]!;
    for (let i = 0; i < key.length; i++) if (this.arena[start + i] !== key.charCodeAt(i)) return false;
    return true;
  }

  private append(key: string, h: number, value: number): void {
    const e = this.count;
    if (e === this.starts.length) {
      this.starts = grownTo(this.starts, e * 2);
      this.lengths = grownTo(this.lengths, e * 2);
      this.hashes = grownTo(this.hashes, e * 2);
      this.values = grownTo(this.values, e * 2);
    }
    if (isWide(key)) {
      this.starts[e] = this.wideKeys.length;
      this.lengths[e] = WIDE;
      this.wideKeys.push(key);
    } else {
      if (this.used + key.length > this.arena.length) this.arena = grownTo(this.arena, Math.max(this.arena.length * 2, this.used + key.length));
      for (let i = 0; i < key.length; i++) this.arena[this.used + i] = key.charCodeAt(i);
      this.starts[e] = this.used;
      this.lengths[e] = key.length;
      this.used += key.length;
    }
    this.hashes[e] = h;
    this.values[e] = value;
    this.count++;
    // At most half full, so a probe ends soon.
    if (this.count * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(e);
  }

  private place(e: number): void {
    const mask = this.slots.length - 1;
    let s = this.hashes[e]! & mask;
    while (this.slots[s] !== 0) s = (s + 1) & mask;
    this.slots[s] = e + 1;
  }

  private rehash(size: number): void {
    this.slots = new Uint32Array(size);
    for (let e = 0; e < this.count; e++) this.place(e);
  }
}

/** The length that marks a key kept as a string (no key in the arena is this long). */
const WIDE = 0xffffffff;

function isWide(key: string): boolean {
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) > 0xff) return true;
  return false;
}
