/**
 * Malformed 200 replies, as broken proxies and half-compatible servers send them: no choice,
 * null or empty content, an HTML page, impossible token counts. Built from a well-formed reply
 * of the same API (openaiWire / anthropicWire) with one field broken, so each reply differs
 * from a good one in exactly the way its name says.
 */
import { anthropicMessage, anthropicStreamEvents } from './anthropicWire.js';
import { openaiCompletion, openaiStreamEvents } from './openaiWire.js';
import type { FakeApi, FakeUsage, MalformedKind } from './types.js';

export interface RawBody {
  contentType: string;
  body: string;
}

const HTML = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>\n';
const USAGE: FakeUsage = { input: 10, output: 3, cachedInput: 0 };

type Json = Record<string, unknown>;

function edit(json: string, change: (o: Json) => void): string {
  const o = JSON.parse(json) as Json;
  change(o);
  return JSON.stringify(o);
}

/** The broken usage value, or undefined when the kind is not about usage. */
function badCount(kind: MalformedKind): unknown {
  return kind === 'negative-usage' ? -5 : kind === 'text-usage' ? 'many' : undefined;
}

function openaiJson(kind: MalformedKind, model: string): string {
  return edit(openaiCompletion(model, 'an answer', USAGE, 'stop'), (o) => {
    const message = ((o['choices'] as Json[])[0]!['message'] as Json);
    if (kind === 'no-choices') o['choices'] = [];
    else if (kind === 'null-content' || kind === 'empty-content') message['content'] = null;
    else (o['usage'] as Json)['prompt_tokens'] = badCount(kind);
  });
}

function anthropicJson(kind: MalformedKind, model: string): string {
  return edit(anthropicMessage(model, { kind: 'text', text: 'an answer' }, USAGE, 'end_turn'), (o) => {
    if (kind === 'no-choices' || kind === 'empty-content') o['content'] = [];
    else if (kind === 'null-content') o['content'] = null;
    else (o['usage'] as Json)['output_tokens'] = badCount(kind);
  });
}

/** SSE frames `data: {...}\n\n` (OpenAI) or `event: x\ndata: {...}\n\n` (Anthropic), one edited. */
function editFrames(frames: string[], change: (o: Json) => void): string[] {
  return frames.map((f) => {
    const at = f.indexOf('data: {');
    if (at < 0) return f;
    return f.slice(0, at) + 'data: ' + edit(f.slice(at + 6).trim(), change) + '\n\n';
  });
}

function openaiStream(kind: MalformedKind, model: string): string {
  let frames = openaiStreamEvents(model, ['an ', 'answer'], USAGE, 'stop', true);
  if (kind === 'no-choices') frames = editFrames(frames, (o) => (o['choices'] = []));
  else if (kind === 'null-content' || kind === 'empty-content') {
    frames = editFrames(frames, (o) => {
      for (const c of o['choices'] as Json[]) if ((c['delta'] as Json)['content'] !== undefined) (c['delta'] as Json)['content'] = null;
    });
  } else frames = editFrames(frames, (o) => o['usage'] && ((o['usage'] as Json)['prompt_tokens'] = badCount(kind)));
  return frames.join('');
}

function anthropicStream(kind: MalformedKind, model: string): string {
  let frames = anthropicStreamEvents(model, { kind: 'text', text: 'an answer' }, ['an ', 'answer'], USAGE, 'end_turn');
  if (kind === 'no-choices' || kind === 'empty-content' || kind === 'null-content') {
    frames = frames.filter((f) => !f.startsWith('event: content_block_'));
  } else {
    frames = editFrames(frames, (o) => o['type'] === 'message_delta' && ((o['usage'] as Json)['output_tokens'] = badCount(kind)));
  }
  return frames.join('');
}

export function malformedReply(api: FakeApi, stream: boolean, kind: MalformedKind, model: string): RawBody {
  if (kind === 'html') return { contentType: 'text/html; charset=utf-8', body: HTML };
  if (stream) return { contentType: 'text/event-stream', body: api === 'openai' ? openaiStream(kind, model) : anthropicStream(kind, model) };
  return { contentType: 'application/json', body: api === 'openai' ? openaiJson(kind, model) : anthropicJson(kind, model) };
}
