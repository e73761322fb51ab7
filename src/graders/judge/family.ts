import type { ResolvedModel } from '../../types.js';

/**
 * Model families, for the self-preference warning: LLM judges rate outputs of their own family
 * higher (Panickssery et al. 2024, "LLM Evaluators Recognize and Favor Their Own Generations").
 * A family is the vendor's model line, recognised from the model id whatever the provider
 * (an OpenRouter `openai/gpt-4o`, a Bedrock `anthropic.claude-3-haiku`, a gateway alias).
 */
const FAMILIES: Array<[family: string, pattern: RegExp]> = [
  ['OpenAI GPT/o-series', /^(gpt-|chatgpt|o\d(?:$|[-.])|text-davinci|davinci)/],
  ['Anthropic Claude', /^claude/],
  ['Google Gemini/Gemma', /^(gemini|gemma|palm)/],
  ['Meta Llama', /^(llama|meta-llama|codellama)/],
  ['Mistral', /^(mistral|mixtral|codestral|ministral|magistral|pixtral)/],
  ['Qwen', /^(qwen|qwq)/],
  ['DeepSeek', /^deepseek/],
  ['Cohere Command', /^(command|c4ai)/],
  ['xAI Grok', /^grok/],
  ['Microsoft Phi', /^phi-?\d/],
];

/** Providers that are not a language model: a script or the echo stand-in has no family. */
const NOT_A_MODEL = new Set(['echo', 'script']);

/** The bare model id: vendor prefixes (`openai/`, `anthropic.`, `us.anthropic.`) dropped, lower-cased. */
export function bareModelId(model: string): string {
  const lastSegment = model.toLowerCase().split('/').pop() ?? '';
  return lastSegment.replace(/^(?:[a-z]{2}\.)?(?:anthropic|meta|mistral|cohere|amazon|ai21)\./, '');
}

/** The family of a configured model, or undefined when it has none (echo, script, no model id). */
export function modelFamily(model: Pick<ResolvedModel, 'provider' | 'model'>): string | undefined {
  if (NOT_A_MODEL.has(model.provider) || !model.model) return undefined;
  const id = bareModelId(model.model);
  for (const [family, pattern] of FAMILIES) if (pattern.test(id)) return family;
  // An unknown line: only the very same model counts as the same family.
  return `${id}`;
}

/**
 * The candidate model of a grade: the runner passes the model's config name, a rescore passes
 * the label stored in the case (`provider:model`). Both are resolved to provider and model id.
 */
export function candidateModel(ref: string, configs: Record<string, ResolvedModel>): Pick<ResolvedModel, 'provider' | 'model'> | undefined {
  const configured = configs[ref];
  if (configured) return configured;
  const colon = ref.indexOf(':');
  if (colon <= 0) return undefined;
  return { provider: ref.slice(0, colon), model: ref.slice(colon + 1) };
}

/**
 * Warns once per (judge, candidate) pair when both belong to the same family. Returns the
 * function a grader calls per case: cheap after the first call for a pair.
 */
export function selfPreferenceWarner(
  judgeName: string,
  graderName: string,
  configs: Record<string, ResolvedModel>,
  warn: (message: string) => void,
): (candidateRef: string) => void {
  const judge = configs[judgeName];
  const judgeFamily = judge ? modelFamily(judge) : undefined;
  const seen = new Set<string>();
  return (candidateRef) => {
    if (judgeFamily === undefined || seen.has(candidateRef)) return;
    seen.add(candidateRef);
    const candidate = candidateModel(candidateRef, configs);
    if (!candidate || modelFamily(candidate) !== judgeFamily) return;
    const same = candidate.model === judge!.model ? 'the very model it grades' : `the same family (${judgeFamily})`;
    warn(
      `grader ${graderName}: judge model "${judgeName}" (${judge!.model}) grades outputs of "${candidateRef}" (${candidate.model}), ${same}: ` +
        'LLM judges favour their own family’s outputs (self-preference); use a judge from another family, or check it with `llm-eval calibrate`',
    );
  };
}
