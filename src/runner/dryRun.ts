import type { ResolvedConfig } from '../types.js';
import { PromptRenderer } from '../prompts/render.js';
import { readDataset } from '../datasets/read.js';
import { rowMatcher } from '../plan/select.js';
import { inShard, type Shard } from '../plan/shard.js';
import { estimateCall } from '../cost/estimate.js';
import { prepareSuites } from './prepare.js';
import { modelLabel } from '../providers/label.js';

export interface DryRunEstimate {
  suites: Array<{
    name: string;
    variants: Array<{ name: string; model: string; cases: number; inputTokens: number; outputTokens: number; costUsd: number | null }>;
  }>;
  totals: { cases: number; inputTokens: number; outputTokens: number; costUsd: number | null };
  /** Models with no known price: their cost is left out of the total, never guessed. */
  unpriced: string[];
}

/**
 * What a run would do, without calling anything: validates like `run`, counts cases, and
 * estimates tokens with a local tokenizer (output tokens: the model's max_tokens or a default
 * guess) priced with the price table.
 */
export async function dryRun(opts: { config: ResolvedConfig; suites?: string[]; variants?: string[]; filter?: string; repeat?: number; shard?: Shard }): Promise<DryRunEstimate> {
  const renderer = new PromptRenderer({ promptsDir: opts.config.promptsDir });
  const prepared = await prepareSuites(opts.config, opts, renderer);
  const unpriced = new Set<string>();
  const out: DryRunEstimate = { suites: [], totals: { cases: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 }, unpriced: [] };
  for (const { suite } of prepared) {
    const keep = rowMatcher(opts.filter);
    const variants = suite.variants.map((v) => ({ v, model: opts.config.models[v.model]!, cases: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 as number | null }));
    for await (const row of readDataset(suite.dataset)) {
      if (!keep(row) || (opts.shard && !inShard(row.id, opts.shard))) continue;
      for (const acc of variants) {
        const rendered = renderer.render(acc.v.prompt, row.vars);
        const est = await estimateCall(acc.model, { messages: rendered.messages, params: acc.v.params, responseFormat: rendered.responseFormat });
        acc.cases += suite.repeat;
        acc.inputTokens += est.tokens.input * suite.repeat;
        acc.outputTokens += est.tokens.output * suite.repeat;
        if (est.costUsd == null) {
          acc.costUsd = null;
          unpriced.add(acc.model.name);
        } else if (acc.costUsd != null) acc.costUsd += est.costUsd * suite.repeat;
      }
    }
    out.suites.push({
      name: suite.name,
      variants: variants.map((a) => ({ name: a.v.name, model: modelLabel(a.model), cases: a.cases, inputTokens: a.inputTokens, outputTokens: a.outputTokens, costUsd: a.costUsd })),
    });
    for (const a of variants) {
      out.totals.cases += a.cases;
      out.totals.inputTokens += a.inputTokens;
      out.totals.outputTokens += a.outputTokens;
      if (a.costUsd != null && out.totals.costUsd != null) out.totals.costUsd += a.costUsd;
    }
  }
  out.unpriced = [...unpriced];
  return out;
}
