import { StringTable } from '../util/stringTable.js';
import { grownTo } from '../util/arrays.js';
import type { CaseOutcome } from './outcomes.js';

/**
 * One variant's per-case outcomes as a run gathers them (results/outcomes.ts), in columns of
 * typed arrays rather than an object and a Map entry per case: a 100,000-case run holds about
 * 6 MB here where it held about 15, and V8 grows its heap in proportion to what stays live. Read
 * as a `ReadonlyMap` of `CaseOutcome` objects, made as they are asked for.
 */
export class CaseOutcomeTable implements ReadonlyMap<string, CaseOutcome> {
  private readonly ids = new StringTable();
  private passes = new Uint32Array(INITIAL);
  private samples = new Uint32Array(INITIAL);
  private errors = new Uint32Array(INITIAL);
  private scoreSums = new Float64Array(INITIAL);
  /** The content hash as a number where it is 8 hex digits (caseContentHash), else in `otherContent`. */
  private contents = new Uint32Array(INITIAL);
  private contentKinds = new Uint8Array(INITIAL);
  private readonly otherContent = new Map<number, string | null>();

  get size(): number {
    return this.ids.size;
  }

  has(caseId: string): boolean {
    return this.ids.has(caseId);
  }

  get(caseId: string): CaseOutcome | undefined {
    const e = this.ids.get(caseId);
    return e === undefined ? undefined : this.at(e);
  }

  /** Counts one sample of `caseId`; its first sample gives the case its content hash. */
  addSample(caseId: string, content: string | null, sample: { pass: boolean; error: boolean; score: number }): void {
    let e = this.ids.get(caseId);
    if (e === undefined) {
      e = this.ids.size;
      this.ids.set(caseId, e);
      if (e === this.passes.length) this.grow();
      if (content !== null && HEX8.test(content)) {
        this.contents[e] = Number.parseInt(content, 16);
        this.contentKinds[e] = HEX;
      } else this.otherContent.set(e, content);
    }
    this.samples[e]!++;
    if (sample.pass) this.passes[e]!++;
    if (sample.error) this.errors[e]!++;
    this.scoreSums[e]! += sample.score;
  }

  *entries(): MapIterator<[string, CaseOutcome]> {
    let e = 0;
    for (const id of this.ids.keys()) yield [id, this.at(e++)];
  }

  keys(): MapIterator<string> {
    return this.ids.keys();
  }

  *values(): MapIterator<CaseOutcome> {
    for (let e = 0; e < this.ids.size; e++) yield this.at(e);
  }

  [Symbol.iterator](): MapIterator<[string, CaseOutcome]> {
    return this.entries();
  }

  forEach(fn: (value: CaseOutcome, key: string, map: ReadonlyMap<string, CaseOutcome>) => void, thisArg?: unknown): void {
    for (const [id, c] of this) fn.call(thisArg, c, id, this);
  }

  private at(e: number): CaseOutcome {
    const content = this.contentKinds[e] === HEX ? this.contents[e]!.toString(16).padStart(8, '0') : (this.otherContent.get(e) ?? null);
    return { passes: this.passes[e]!, n: this.samples[e]!, scoreSum: this.scoreSums[e]!, errors: this.errors[e]!, content };
  }

  private grow(): void {
    const size = this.passes.length * 2;
    this.passes = grownTo(this.passes, size);
    this.samples = grownTo(this.samples, size);
    this.errors = grownTo(this.errors, size);
    this.scoreSums = grownTo(this.scoreSums, size);
    this.contents = grownTo(this.contents, size);
    this.contentKinds = grownTo(this.contentKinds, size);
  }
}

const INITIAL = 256;
const HEX = 1;
const HEX8 = /^[0-9a-f]{8}$/;
