import type { ScoreScale } from './prompt.js';

/**
 * Turning judge samples into one grade. A judge is noisy: `judgeRepeat: n` asks n times and
 * reduces the samples:
 *  - `majority` (default): each sample passes when its normalised score reaches the threshold;
 *    the grade passes when more than half of the samples pass (a tie fails: a gate should not
 *    pass on a coin toss). The grade's score is the mean normalised score.
 *  - `mean`: the grade's score is the mean normalised score, and it passes when that mean
 *    reaches the threshold.
 */

export type Reduce = 'majority' | 'mean';

export interface JudgeSample {
  /** On the judge's scale. */
  raw: number;
  /** 0..1 */
  normalized: number;
  pass: boolean;
  reasoning: string;
}

export interface ReducedGrade {
  pass: boolean;
  score: number;
  passes: number;
  /** The sample whose reasoning best explains the verdict (agrees with it; nearest the mean). */
  representative: JudgeSample;
}

export function normalize(raw: number, scale: ScoreScale): number {
  return (raw - scale.min) / (scale.max - scale.min);
}

export function toSample(raw: number, reasoning: string, scale: ScoreScale, threshold: number): JudgeSample {
  const normalized = normalize(raw, scale);
  return { raw, normalized, pass: normalized >= threshold, reasoning };
}

export function reduceSamples(samples: JudgeSample[], reduce: Reduce, threshold: number): ReducedGrade {
  if (samples.length === 0) throw new Error('no judge samples to reduce');
  const score = samples.reduce((s, x) => s + x.normalized, 0) / samples.length;
  const passes = samples.filter((s) => s.pass).length;
  const pass = reduce === 'mean' ? score >= threshold : passes * 2 > samples.length;
  const agreeing = samples.filter((s) => s.pass === pass);
  const pool = agreeing.length > 0 ? agreeing : samples;
  const representative = pool.reduce((best, s) => (Math.abs(s.normalized - score) < Math.abs(best.normalized - score) ? s : best));
  return { pass, score, passes, representative };
}
