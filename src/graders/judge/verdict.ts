import { Ajv, type ValidateFunction } from 'ajv';
import type { JsonSchema } from '../../types.js';
import { jsonText } from '../extractJson.js';
import { describeSchemaErrors } from '../schemaSource.js';

/**
 * Judge verdicts: the JSON a judge must answer with, asked for as structured output (so the
 * providers constrain generation to it) and validated again here (a provider without structured
 * output, a cached answer, or a proxy may still return anything).
 *
 * `reasoning` comes first in the schema on purpose: structured output generates properties in
 * schema order, so the judge writes its assessment before it commits to a score.
 */

export interface ScoreVerdict {
  reasoning: string;
  score: number;
}

export type PairChoice = '1' | '2' | 'tie';

export interface PairVerdict {
  reasoning: string;
  winner: PairChoice;
}

export type Parsed<T> = { ok: true; verdict: T } | { ok: false; problem: string };

/** The structured-output schema of a score verdict (strict-mode compatible: no bounds keywords). */
export function scoreVerdictSchema(min: number, max: number): JsonSchema {
  return {
    title: 'judge_verdict',
    type: 'object',
    properties: {
      reasoning: { type: 'string', description: 'Your assessment against the rubric, written before the score.' },
      score: { type: 'number', description: `The score, from ${min} (worst) to ${max} (best).` },
    },
    required: ['reasoning', 'score'],
    additionalProperties: false,
  };
}

export const PAIR_VERDICT_SCHEMA: JsonSchema = {
  title: 'pairwise_verdict',
  type: 'object',
  properties: {
    reasoning: { type: 'string', description: 'Your comparison of the two responses against the rubric, written before the verdict.' },
    winner: { type: 'string', enum: ['1', '2', 'tie'], description: '"1" or "2" for the better response, "tie" when neither is better.' },
  },
  required: ['reasoning', 'winner'],
  additionalProperties: false,
};

// Compiled once for the process, on first use (a run without judges never pays for it): the
// range check depends on the grader's scale and is done by hand.
let verdictAjv: Ajv | undefined;
const verdictValidators = new Map<'score' | 'pair', ValidateFunction>();
function verdictValidator(kind: 'score' | 'pair'): ValidateFunction {
  let fn = verdictValidators.get(kind);
  if (!fn) {
    verdictAjv ??= new Ajv({ allErrors: true, strict: false, validateSchema: false });
    fn = verdictAjv.compile(
      kind === 'score'
        ? { type: 'object', properties: { reasoning: { type: 'string', minLength: 1 }, score: { type: 'number' } }, required: ['reasoning', 'score'] }
        : { type: 'object', properties: { reasoning: { type: 'string', minLength: 1 }, winner: { type: 'string', enum: ['1', '2', 'tie'] } }, required: ['reasoning', 'winner'] },
    );
    verdictValidators.set(kind, fn);
  }
  return fn;
}

/**
 * The JSON object in a judge's reply: the whole reply, the content of a ```json fence, or, as a
 * last resort, the span from the first `{` to the last `}` (judges without structured output
 * like to say "Here is my verdict:" first).
 */
export function parseJsonObject(reply: string): { ok: true; value: Record<string, unknown> } | { ok: false; problem: string } {
  const { text } = jsonText(reply);
  if (text === '') return { ok: false, problem: 'the reply was empty' };
  const attempts = [text];
  const first = text.indexOf('{');
  const last = text.lastIndexOf('}');
  if (first >= 0 && last > first && (first > 0 || last < text.length - 1)) attempts.push(text.slice(first, last + 1));
  let error = '';
  for (const candidate of attempts) {
    try {
      const value: unknown = JSON.parse(candidate);
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) return { ok: true, value: value as Record<string, unknown> };
      error = `the reply is JSON but not an object (${Array.isArray(value) ? 'an array' : typeof value})`;
    } catch (err) {
      error ||= `the reply is not valid JSON (${err instanceof Error ? err.message : String(err)})`;
    }
  }
  return { ok: false, problem: error };
}

/** A score sent as a numeric string ("8", " 7.5 ") is read as the number; anything else is left for the schema to refuse. */
function coerceScore(value: Record<string, unknown>): void {
  const s = value['score'];
  if (typeof s === 'string' && s.trim() !== '' && Number.isFinite(Number(s))) value['score'] = Number(s);
}

export function parseScoreVerdict(reply: string, min: number, max: number): Parsed<ScoreVerdict> {
  const parsed = parseJsonObject(reply);
  if (!parsed.ok) return parsed;
  coerceScore(parsed.value);
  const validateScore = verdictValidator('score');
  if (!validateScore(parsed.value)) return { ok: false, problem: `the verdict does not match the schema: ${describeSchemaErrors(validateScore.errors)}` };
  const { reasoning, score } = parsed.value as unknown as ScoreVerdict;
  if (!Number.isFinite(score) || score < min || score > max) return { ok: false, problem: `the score ${score} is outside the scale ${min} to ${max}` };
  return { ok: true, verdict: { reasoning, score } };
}

export function parsePairVerdict(reply: string): Parsed<PairVerdict> {
  const parsed = parseJsonObject(reply);
  if (!parsed.ok) return parsed;
  const w = parsed.value['winner'];
  // Judges write 1 for "1" and "Tie" for "tie"; both are unambiguous.
  if (typeof w === 'number') parsed.value['winner'] = String(w);
  else if (typeof w === 'string') parsed.value['winner'] = w.trim().toLowerCase();
  const validatePair = verdictValidator('pair');
  if (!validatePair(parsed.value)) return { ok: false, problem: `the verdict does not match the schema: ${describeSchemaErrors(validatePair.errors)}` };
  const { reasoning, winner } = parsed.value as unknown as PairVerdict;
  return { ok: true, verdict: { reasoning, winner } };
}
