import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { seededRandom } from '../../stats/rng.js';
import { exchangeOf, type LoggedExchange } from './logRecord.js';

/**
 * `llm-eval dataset from-logs`: production request/response logs → a draft golden dataset.
 * Streams the log once (memory is the sample, plus a short hash per distinct request for the
 * duplicate check), drops repeated requests, keeps a stratified random sample (per model by
 * default, in proportion to each model's share), masks personal data, and keeps each logged
 * answer as a candidate `expected` for a human to review.
 */

export interface FromLogsOptions {
  /** Rows wanted. */
  sample: number;
  /** Strata: one per model (default), or none. */
  stratify: 'model' | 'none';
  seed: number;
  /** Masks personal data in a text; identity when masking is off. */
  mask: (text: string) => { text: string; found: number };
  /** Unreadable lines listed by number (the rest are counted). */
  maxProblems?: number;
}

export interface DraftRow {
  id: string;
  vars: { input: string; system?: string; history?: Array<{ role: string; content: string }> };
  expected?: string;
  tags: string[];
}

export interface FromLogsResult {
  rows: DraftRow[];
  lines: number;
  unreadable: number;
  problems: Array<{ line: number; message: string }>;
  duplicates: number;
  distinct: number;
  strata: Array<{ name: string; distinct: number; sampled: number }>;
  piiMasked: number;
}

interface Sampled {
  line: number;
  key: string;
  exchange: LoggedExchange;
}

interface Stratum {
  seen: number;
  reservoir: Sampled[];
}

/** What makes two log lines the same request: the conversation sent, whitespace folded. */
function requestKey(e: LoggedExchange): string {
  const fold = (s: string): string => s.replace(/\s+/g, ' ').trim();
  const text = [e.system ?? '', ...e.history.map((t) => `${t.role}:${fold(t.content)}`), fold(e.input)].join('\u0000');
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/**
 * Largest-remainder allocation of `total` rows over strata in proportion to their sizes, each
 * stratum at most its size and at least one row while rows remain (a rare model still shows up).
 */
export function allocate(sizes: number[], total: number): number[] {
  const all = sizes.reduce((a, b) => a + b, 0);
  if (all <= total) return [...sizes];
  const quotas = sizes.map((n) => (n * total) / all);
  const counts = quotas.map((q, i) => Math.min(sizes[i]!, Math.floor(q)));
  // One row for every non-empty stratum first, largest strata paying for it.
  for (let i = 0; i < sizes.length; i++) {
    if (counts[i] === 0 && sizes[i]! > 0) counts[i] = 1;
  }
  let over = counts.reduce((a, b) => a + b, 0) - total;
  while (over > 0) {
    let largest = -1;
    for (let i = 0; i < counts.length; i++) if (counts[i]! > 1 && (largest < 0 || counts[i]! > counts[largest]!)) largest = i;
    if (largest < 0) break;
    counts[largest]!--;
    over--;
  }
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = quotas.map((q, i) => ({ i, r: q - Math.floor(q) })).sort((a, b) => b.r - a.r || a.i - b.i);
  while (left > 0) {
    let moved = false;
    for (const { i } of order) {
      if (left === 0) break;
      if (counts[i]! < sizes[i]!) {
        counts[i]!++;
        left--;
        moved = true;
      }
    }
    if (!moved) break;
  }
  return counts;
}

export async function datasetFromLogs(file: string, opts: FromLogsOptions): Promise<FromLogsResult> {
  const random = seededRandom(opts.seed);
  const seenKeys = new Set<string>();
  const strata = new Map<string, Stratum>();
  const problems: FromLogsResult['problems'] = [];
  const maxProblems = opts.maxProblems ?? 10;
  let lines = 0;
  let unreadable = 0;
  let duplicates = 0;

  const input = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const text of input) {
    lines++;
    if (text.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      unreadable++;
      if (problems.length < maxProblems) problems.push({ line: lines, message: 'not valid JSON' });
      continue;
    }
    const exchange = exchangeOf(parsed);
    if ('problem' in exchange) {
      unreadable++;
      if (problems.length < maxProblems) problems.push({ line: lines, message: exchange.problem });
      continue;
    }
    const key = requestKey(exchange);
    if (seenKeys.has(key)) {
      duplicates++;
      continue;
    }
    seenKeys.add(key);
    const name = opts.stratify === 'model' ? (exchange.model ?? '(no model)') : 'all';
    let stratum = strata.get(name);
    if (!stratum) strata.set(name, (stratum = { seen: 0, reservoir: [] }));
    stratum.seen++;
    // Algorithm R: after n items, each is in the reservoir with probability capacity / n.
    const item = { line: lines, key, exchange };
    if (stratum.reservoir.length < opts.sample) stratum.reservoir.push(item);
    else {
      const j = Math.floor(random() * stratum.seen);
      if (j < opts.sample) stratum.reservoir[j] = item;
    }
  }

  const names = [...strata.keys()].sort();
  const counts = allocate(names.map((n) => strata.get(n)!.seen), opts.sample);
  const rows: DraftRow[] = [];
  let piiMasked = 0;
  const mask = (text: string): string => {
    const m = opts.mask(text);
    piiMasked += m.found;
    return m.text;
  };
  const strataSummary: FromLogsResult['strata'] = [];
  names.forEach((name, s) => {
    const stratum = strata.get(name)!;
    // The reservoir is a uniform sample; a uniform subset of it (shuffled prefix) still is.
    const pool = [...stratum.reservoir];
    for (let i = pool.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [pool[i], pool[j]] = [pool[j]!, pool[i]!];
    }
    const chosen = pool.slice(0, counts[s]).sort((a, b) => a.line - b.line);
    strataSummary.push({ name, distinct: stratum.seen, sampled: chosen.length });
    for (const { key, exchange } of chosen) {
      const vars: DraftRow['vars'] = { input: mask(exchange.input) };
      if (exchange.system) vars.system = mask(exchange.system);
      if (exchange.history.length) vars.history = exchange.history.map((t) => ({ role: t.role, content: mask(t.content) }));
      const row: DraftRow = { id: `log-${key.slice(0, 12)}`, vars, tags: ['from-logs', ...(exchange.model ? [exchange.model] : [])] };
      if (exchange.response !== undefined) row.expected = mask(exchange.response);
      rows.push(row);
    }
  });
  return { rows, lines, unreadable, problems, duplicates, distinct: seenKeys.size, strata: strataSummary, piiMasked };
}
