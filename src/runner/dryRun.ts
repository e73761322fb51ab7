import type { CallOptions, ChatMessage, GradeContext, Grader, JsonSchema, ModelCaller, ModelRequest, ResolvedConfig, ResolvedModel, ResolvedSuite, ToolChoice, ToolDefinition } from '../types.js';
import { ProviderError } from '../errors.js';
import { PromptRenderer } from '../prompts/render.js';
import { rowMatcher } from '../plan/select.js';
import { inShard, type Shard } from '../plan/shard.js';
import { estimateCall, expectedOutputTokens } from '../cost/estimate.js';
import { costOf } from '../cost/compute.js';
import { batchPrice, resolvePrice } from '../cost/prices.js';
import { batchModels, batchedVendor } from './batchModels.js';
import { CostEstimator } from '../execute/budget.js';
import { ResponseCache, cacheKey, chatKeyParts } from '../execute/cache.js';
import { loadProviderFactory } from '../providers/registry.js';
import { createGraderEnv } from '../graders/env.js';
import { variantPairs } from '../graders/judge/pairwise/run.js';
import pairwise from '../graders/pairwise.js';
import { caseGraderConfigs, runGraderConfigs } from '../graders/suiteGraders.js';
import { createGrader } from '../graders/create.js';
import { graderScope } from '../graders/scope.js';
import { createPairComparer, type PairComparer } from '../graders/judge/pairwise/compare.js';
import { JudgeSpend } from '../graders/judge/spend.js';
import { graderName } from '../graders/name.js';
import { prepareSuites } from './prepare.js';
import { modelLabel } from '../providers/label.js';
import { joinConversation } from './conversation/join.js';
import { agentOptionsOf } from './conversation/toolResults.js';

export interface DryRunEstimate {
  suites: Array<{
    name: string;
    /**
     * `cases`: records the run writes (rows × repeats); `calls`: model calls they make (a scripted
     * turn is one call per turn, an agent case counts its `maxSteps`); `upTo`: the suite runs the
     * agent loop, so `calls`, tokens and cost are an upper bound (a loop stops at an answer
     * without tool calls). `cachedCases`: calls the cache answers.
     */
    variants: Array<{ name: string; model: string; cases: number; calls: number; upTo: boolean; cachedCases: number; inputTokens: number; outputTokens: number; costUsd: number | null }>;
  }>;
  /** Judge calls (per-case judges and pairwise comparisons), cache hits included in `calls`. */
  judges: { calls: number; cachedCalls: number; inputTokens: number; outputTokens: number; costUsd: number | null };
  /** `upTo`: some suite runs the agent loop, so calls and cost are an upper bound. */
  totals: { cases: number; calls: number; upTo: boolean; cachedCalls: number; inputTokens: number; outputTokens: number; costUsd: number | null };
  /** Models with no known price: their cost is left out of the total, never guessed. */
  unpriced: string[];
  /** Models whose calls would go as provider batches (`--batch`, `batch: true`): priced at the batch rate. */
  batched: string[];
}

interface Tally {
  calls: number;
  cachedCalls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
}

/** A call that is not in the cache: estimated once every cache hit has been seen. */
interface Miss {
  model: ResolvedModel;
  chars: number;
  params: Record<string, unknown>;
  /** The tokenizer's count, used when the cache taught nothing about the model. */
  tokenizerInput: number;
  tally: Tally;
}

const newTally = (): Tally => ({ calls: 0, cachedCalls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 });

/** What the cache has taught about a model: tokens per character and output per call. */
interface Learnt {
  estimator?: CostEstimator;
  outputChars: number;
  answers: number;
}

/** Answers nothing: records each judge request a grader makes, so the dry run can price it. */
class RecordingCaller implements ModelCaller {
  calls: Array<{ model: string; req: Omit<ModelRequest, 'model'>; sample: number }> = [];
  async call(model: string, req: Omit<ModelRequest, 'model'>, opts: CallOptions = {}): Promise<never> {
    this.calls.push({ model, req, sample: opts.sample ?? 0 });
    throw new ProviderError('aborted', 'dry run: nothing is called');
  }
}

/**
 * What a run would do, without calling anything: validates like `run`, counts the calls a run
 * makes (candidates, per-case judges and pairwise comparisons, with repeats), and estimates
 * their tokens and cost. A call the response cache already answers is free, and its cached
 * answer teaches the estimate for the others of its model (tokens per character, output per
 * call); a model the cache knows nothing about is counted with a local tokenizer and an output
 * of max_tokens or a default guess, priced with the price table.
 */
export async function dryRun(opts: { config: ResolvedConfig; suites?: string[]; variants?: string[]; filter?: string; repeat?: number; shard?: Shard; batch?: boolean }): Promise<DryRunEstimate> {
  const { config } = opts;
  const renderer = new PromptRenderer({ promptsDir: config.promptsDir });
  const prepared = await prepareSuites(config, opts, renderer);
  const batched = batchModels(config, prepared.map((p) => p.suite), opts.batch === true);
  const batchedNames = new Set<string>();
  const cache = config.defaults.cache === 'off' ? undefined : new ResponseCache(config.cacheDir);
  const identities = new Map<string, Record<string, unknown> | undefined>();
  const identityOf = async (model: ResolvedModel): Promise<Record<string, unknown> | undefined> => {
    if (!identities.has(model.name)) {
      const factory = await loadProviderFactory(model.provider);
      identities.set(model.name, factory?.identity?.(model, { configDir: config.dir, env: process.env }));
    }
    return identities.get(model.name);
  };
  const learnt = new Map<string, Learnt>();
  const learntOf = (model: ResolvedModel): Learnt => {
    let l = learnt.get(model.name);
    if (!l) {
      const price = resolvePrice(model);
      learnt.set(model.name, (l = { outputChars: 0, answers: 0, ...(price.kind !== 'unknown' ? { estimator: new CostEstimator(price.price) } : {}) }));
    }
    return l;
  };
  const misses: Miss[] = [];
  /** Cache keys already in the plan. */
  const planned = new Set<string>();
  const unpriced = new Set<string>();

  /** Looks one call up in the cache: a hit is free (and returns its answer), a miss is kept for pricing. */
  const plan = async (model: ResolvedModel, req: { messages: ChatMessage[]; params: Record<string, unknown>; responseFormat?: JsonSchema; tools?: ToolDefinition[]; toolChoice?: ToolChoice }, sample: number, tally: Tally): Promise<string | undefined> => {
    tally.calls++;
    const identity = cache ? await identityOf(model) : undefined;
    if (cache && identity) {
      const key = cacheKey(chatKeyParts(identity, req, sample));
      // The run calls an identical request once and answers the others from that call.
      if (planned.has(key)) {
        tally.cachedCalls++;
        return undefined;
      }
      planned.add(key);
      const hit = await cache.get(key);
      if (hit) {
        tally.cachedCalls++;
        const l = learntOf(model);
        l.outputChars += hit.response.text.length;
        l.answers++;
        if (hit.response.usage) l.estimator?.learn(CostEstimator.requestChars(req.messages, req.responseFormat), hit.response.usage);
        return hit.response.text;
      }
    }
    await estimate(model, req, tally, false);
    return undefined;
  };
  /** A call no cache can answer (a later agent step, whose tool results are unknown): kept for pricing. */
  const estimate = async (model: ResolvedModel, req: { messages: ChatMessage[]; params: Record<string, unknown>; responseFormat?: JsonSchema }, tally: Tally, count = true): Promise<void> => {
    if (count) tally.calls++;
    const est = await estimateCall(model, req);
    misses.push({ model, chars: CostEstimator.requestChars(req.messages, req.responseFormat), params: req.params, tokenizerInput: est.tokens.input, tally });
  };
  /** Stands for an answer not in the cache, as long as this model's cached answers are on average. */
  const placeholder = (model: ResolvedModel, params: Record<string, unknown>): string => {
    const l = learnt.get(model.name);
    const chars = l && l.answers ? Math.round(l.outputChars / l.answers) : expectedOutputTokens(params) * 4;
    return 'text '.repeat(Math.ceil(chars / 5)).slice(0, chars);
  };

  const recorder = new RecordingCaller();
  const env = createGraderEnv(config, renderer, recorder, () => undefined);
  const judges = newTally();
  const planJudgeCalls = async (): Promise<void> => {
    const calls = recorder.calls;
    recorder.calls = [];
    for (const c of calls) {
      const model = config.models[c.model];
      if (model) await plan(model, { messages: c.req.messages, params: c.req.params, responseFormat: c.req.responseFormat }, c.sample, judges);
    }
  };

  const out: DryRunEstimate = { suites: [], judges, totals: { cases: 0, calls: 0, upTo: false, cachedCalls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 }, unpriced: [], batched: [] };
  const variantTallies: Array<{ suite: string; name: string; model: ResolvedModel; cases: number; upTo: boolean; tally: Tally }> = [];
  for (const p of prepared) {
    const { suite } = p;
    const keep = rowMatcher(opts.filter);
    const maxSteps = agentOptionsOf(suite, config.dir)?.maxSteps;
    const accs = suite.variants.map((v) => {
      const entry = { suite: suite.name, name: v.name, model: config.models[v.model]!, cases: 0, upTo: maxSteps !== undefined, tally: newTally() };
      variantTallies.push(entry);
      return { v, model: entry.model, tally: entry.tally, entry };
    });
    const judgeGraders = await judgeGradersOf(suite, env);
    const comparers = await pairComparersOf(suite, env);
    for await (const row of p.readRows()) {
      if (!keep(row) || (opts.shard && !inShard(row.id, opts.shard))) continue;
      for (let repeat = 0; repeat < suite.repeat; repeat++) {
        const outputs = new Map<string, string>();
        for (const a of accs) {
          a.entry.cases++;
          const rendered = renderer.renderRow(a.v.prompt, row);
          // What the template sends besides its messages: part of the request and of its cache key.
          const format = { responseFormat: rendered.responseFormat, tools: rendered.tools, toolChoice: rendered.toolChoice };
          /** One exchange: a call, and for an agent suite up to maxSteps − 1 more, each priced like the first. */
          const exchange = async (messages: ChatMessage[]): Promise<string> => {
            const req = { messages, params: a.v.params, ...format };
            const text = (await plan(a.model, req, repeat, a.tally)) ?? placeholder(a.model, a.v.params);
            for (let step = 1; step < (maxSteps ?? 1); step++) await estimate(a.model, req, a.tally);
            return text;
          };
          let messages = joinConversation(rendered.messages, row.messages);
          let text = '';
          if (!row.turns) text = await exchange(messages);
          // A scripted turn is one exchange; its own judges grade its answer.
          for (const turn of row.turns ?? []) {
            messages = [...messages, { role: 'user', content: turn.user }];
            text = await exchange(messages);
            messages = [...messages, { role: 'assistant', content: text }];
            const turnJudges = await Promise.all((turn.graders ?? []).filter((g) => typeof g['model'] === 'string').map((g) => createGrader(g, env)));
            const turnCtx: GradeContext = { output: text, row, scope: graderScope(row, text), prompt: rendered, suite: suite.name, variant: a.v.name, model: modelLabel(a.model), costUsd: null, latencyMs: null };
            for (const g of turnJudges) await Promise.resolve(g.grade(turnCtx)).catch(() => undefined);
            await planJudgeCalls();
          }
          outputs.set(a.v.name, text);
          const ctx: GradeContext = {
            output: text,
            row,
            scope: graderScope(row, text),
            prompt: rendered,
            suite: suite.name,
            variant: a.v.name,
            model: modelLabel(a.model),
            costUsd: null,
            latencyMs: null,
          };
          for (const g of judgeGraders) await Promise.resolve(g.grade(ctx)).catch(() => undefined);
          await planJudgeCalls();
        }
        for (const { compare, pairs } of comparers) {
          for (const [x, y] of pairs) {
            const outputA = outputs.get(x);
            const outputB = outputs.get(y);
            if (outputA === undefined || outputB === undefined) continue;
            await compare({ caseId: row.id, vars: row.vars, expected: row.expected, tags: row.tags, outputA, outputB }, new JudgeSpend()).catch(() => undefined);
            await planJudgeCalls();
          }
        }
      }
    }
  }

  // Price the misses, each model by what its cached answers taught, else by the tokenizer.
  for (const m of misses) {
    const l = learnt.get(m.model.name);
    const price = resolvePrice(m.model);
    let input = m.tokenizerInput;
    let output = expectedOutputTokens(m.params);
    if (l?.estimator && l.answers > 0) {
      input = l.estimator.inputTokensFor(m.chars);
      output = l.estimator.outputTokensFor(m.params);
    }
    m.tally.inputTokens += input;
    m.tally.outputTokens += output;
    if (price.kind === 'unknown') {
      m.tally.costUsd = null;
      unpriced.add(m.model.name);
    } else if (m.tally.costUsd != null) {
      // Calls that would go as provider batches cost the batch rate, as the run prices them.
      const vendor = batchedVendor(batched, m.model);
      if (vendor) batchedNames.add(m.model.name);
      m.tally.costUsd += costOf({ input, output, cachedInput: 0 }, vendor ? batchPrice(price.price, vendor) : price.price);
    }
  }

  for (const { suite } of prepared) {
    out.suites.push({
      name: suite.name,
      variants: variantTallies
        .filter((v) => v.suite === suite.name)
        .map((v) => ({ name: v.name, model: modelLabel(v.model), cases: v.cases, calls: v.tally.calls, upTo: v.upTo, cachedCases: v.tally.cachedCalls, inputTokens: v.tally.inputTokens, outputTokens: v.tally.outputTokens, costUsd: v.tally.costUsd })),
    });
  }
  for (const t of [...variantTallies.map((v) => v.tally), judges]) {
    out.totals.calls += t.calls;
    out.totals.cachedCalls += t.cachedCalls;
    out.totals.inputTokens += t.inputTokens;
    out.totals.outputTokens += t.outputTokens;
    if (t.costUsd == null) out.totals.costUsd = null;
    else if (out.totals.costUsd != null) out.totals.costUsd += t.costUsd;
  }
  out.totals.cases = variantTallies.reduce((n, v) => n + v.cases, 0);
  out.totals.upTo = variantTallies.some((v) => v.upTo);
  out.unpriced = [...unpriced];
  out.batched = [...batchedNames];
  return out;
}

/** The suite's per-case graders that call a model (judges): the others cost nothing. */
async function judgeGradersOf(suite: ResolvedSuite, env: ReturnType<typeof createGraderEnv>): Promise<Grader[]> {
  return Promise.all(caseGraderConfigs(suite).filter((g) => typeof g['model'] === 'string').map((g) => createGrader(g, env)));
}

async function pairComparersOf(suite: ResolvedSuite, env: ReturnType<typeof createGraderEnv>): Promise<Array<{ compare: PairComparer; pairs: Array<[string, string]> }>> {
  const out: Array<{ compare: PairComparer; pairs: Array<[string, string]> }> = [];
  for (const g of runGraderConfigs(suite).filter(pairwise.accepts)) {
    const { compare } = await createPairComparer(g, env, graderName(g));
    out.push({ compare, pairs: variantPairs(g, suite.variants.map((v) => v.name)) });
  }
  return out;
}
