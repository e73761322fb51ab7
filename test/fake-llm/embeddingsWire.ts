/**
 * The OpenAI embeddings wire format, as the fake server speaks it. A text's vector is a hashed
 * bag of its words (lower-cased runs of letters and digits, each adding 1 at FNV-1a(word) mod
 * DIMENSIONS), so texts sharing words have a high cosine and a test can work a cosine out by
 * hand: "red apple" vs "red apple" is 1, vs "red pear" 1/(√2·√2) = 0.5, vs "blue pear" 0.
 */
import type { FakeUsage } from './types.js';

export const DIMENSIONS = 256;

function fnv1a(word: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) {
    h ^= word.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function bagOfWordsVector(text: string): number[] {
  const v = new Array<number>(DIMENSIONS).fill(0);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) v[fnv1a(word) % DIMENSIONS]! += 1;
  return v;
}

/** The request's `input` as a list of texts (a string is a list of one). */
export function embeddingInputs(body: Record<string, unknown> | null): string[] {
  const input = body?.['input'];
  if (typeof input === 'string') return [input];
  if (Array.isArray(input)) return input.map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));
  return [];
}

/** A `create embeddings` reply; prompt tokens default to a quarter of the characters, at least 1 per text. */
export function openaiEmbeddings(model: string, texts: string[], usage: Partial<FakeUsage> | undefined): string {
  const tokens = usage?.input ?? texts.reduce((n, t) => n + Math.max(1, Math.ceil(t.length / 4)), 0);
  return JSON.stringify({
    object: 'list',
    data: texts.map((t, index) => ({ object: 'embedding', index, embedding: bagOfWordsVector(t) })),
    model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  });
}
