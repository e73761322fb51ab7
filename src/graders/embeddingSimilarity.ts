import { GraderError, isStop } from '../errors.js';
import type { EmbedResult, GradeContext, GraderEnv, ResolvedModel } from '../types.js';
import { didYouMean } from '../util/suggest.js';
import { JudgeError } from './judge/judgeError.js';
import { JudgeSpend } from './judge/spend.js';
import { graderName } from './name.js';
import { textReference } from './reference.js';
import { templateProblems } from './templateCheck.js';
import { quote } from './text.js';
import { defineGrader, type OptionsOf } from './define.js';


export const DEFAULT_EMBEDDING_THRESHOLD = 0.8;

/** Providers with an OpenAI-style embeddings endpoint. */
const EMBEDDING_PROVIDERS = ['openai', 'openai-compatible'];

/**
 * Cosine of the angle between two vectors: a·b / (|a| |b|), from −1 to 1. A zero vector has no
 * direction, so its cosine with anything is 0. Vectors of different lengths come from
 * different models and cannot be compared.
 */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new Error(`cannot compare embeddings of ${a.length} and ${b.length} dimensions`);
  let dot = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  if (aa === 0 || bb === 0) return 0;
  return dot / Math.sqrt(aa * bb);
}

function modelProblems(options: EmbeddingSimilarityOptions, models: Record<string, ResolvedModel>): Array<{ field?: string; message: string }> {
  const names = Object.keys(models);
  const model = models[options.model];
  if (!model) {
    return [{ field: 'model', message: `unknown embeddings model "${options.model}" (models: ${names.length ? names.join(', ') : '(none)'})${didYouMean(options.model, names)}` }];
  }
  if (!EMBEDDING_PROVIDERS.includes(model.provider)) {
    return [
      {
        field: 'model',
        message: `model "${options.model}" is provider ${model.provider}, which has no embeddings endpoint: name a model of provider openai or openai-compatible whose \`model\` is an embeddings model (e.g. text-embedding-3-small)`,
      },
    ];
  }
  return [];
}

const embeddingOptionsSchema = {
  type: 'object',
  properties: {
    model: { type: 'string', minLength: 1, description: 'The embeddings model: a model name under `models:` (provider openai or openai-compatible, e.g. model: text-embedding-3-small).' },
    value: { type: 'string', description: "Liquid template of the reference text; default: the row's `expected`." },
    threshold: { type: 'number', minimum: -1, maximum: 1, default: DEFAULT_EMBEDDING_THRESHOLD, description: `Least cosine similarity that passes (default ${DEFAULT_EMBEDDING_THRESHOLD}).` },
  },
  required: ['model'],
  additionalProperties: false,
} as const;

type EmbeddingSimilarityOptions = OptionsOf<typeof embeddingOptionsSchema>;

/**
 * `embedding-similarity`: the cosine between the embeddings of the output and of the reference
 * (`value`, else the row's `expected`) is at least `threshold`. Both texts are embedded through
 * the run's model caller, so each is cached, retried, rate limited, budgeted and costed like
 * any call; the spend is the grader's (judge) cost.
 */
const embeddingSimilarity = defineGrader({
  type: 'embedding-similarity',
  description: "Cosine similarity of the embeddings of the output and of `value` or the row's `expected` is at least `threshold`.",
  optionsSchema: embeddingOptionsSchema,
  validate(options, ctx) {
    return [...modelProblems(options, ctx.models), ...templateProblems([['value', options.value]])];
  },
  create(options, env: GraderEnv) {
    const name = graderName(options);
    const reference = textReference(options.value, env, name);
    const threshold = options.threshold ?? DEFAULT_EMBEDDING_THRESHOLD;
    const models = env.models;

    async function embedBoth(output: string, want: string, ctx: GradeContext, spend: JudgeSpend): Promise<[number[], number[]]> {
      const embed = models.embed?.bind(models);
      if (!embed) throw new GraderError(name, 'this model caller cannot embed texts');
      const callOpts = { signal: ctx.signal, purpose: 'judge' as const };
      // Apart, so the same reference across rows is one cached entry, and a failure keeps the other's spend.
      const settled = await Promise.allSettled([embed(options.model, [output], callOpts), embed(options.model, [want], callOpts)]);
      const vectors: number[][] = [];
      let failure: unknown;
      for (const s of settled) {
        if (s.status === 'fulfilled') {
          const r: EmbedResult = s.value[0]!;
          spend.add(r);
          vectors.push(r.embedding);
        } else failure ??= s.reason;
      }
      if (failure !== undefined) {
        if (isStop(failure)) throw failure;
        const message = failure instanceof Error ? failure.message : String(failure);
        throw new JudgeError(name, `embeddings model "${options.model}" call failed: ${message}`, spend, { cause: failure });
      }
      return [vectors[0]!, vectors[1]!];
    }

    return {
      name,
      async grade(ctx) {
        const want = reference(ctx);
        if (want.trim() === '') throw new GraderError(name, `the reference for case ${ctx.row.id} is empty: there is nothing to embed`);
        // An empty text has no embedding (the API rejects it): an empty answer means nothing.
        if (ctx.output.trim() === '') return { pass: false, score: 0, reason: 'the output is empty', costUsd: 0 };
        const spend = new JudgeSpend();
        const [out, ref] = await embedBoth(ctx.output, want, ctx, spend);
        let cosine: number;
        try {
          cosine = cosineSimilarity(out, ref);
        } catch (err) {
          throw new JudgeError(name, err instanceof Error ? err.message : String(err), spend);
        }
        const pass = cosine >= threshold;
        return {
          pass,
          score: Math.max(0, cosine),
          reason: `cosine ${cosine.toFixed(3)} ${pass ? '≥' : '<'} ${threshold} to ${quote(want)}`,
          costUsd: spend.costUsd,
          ...(spend.tokens ? { tokens: spend.tokens } : {}),
        };
      },
    };
  },
});

export default embeddingSimilarity;
