import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ChatMessage, JsonSchema, ModelRequest, TokenUsage, ToolCall, ToolChoice, ToolDefinition } from '../types.js';
import { shortHash, stableJson } from '../util/hash.js';
import { redactSecrets } from '../util/secrets.js';

/**
 * The response cache: one JSON file per exact request, under `<cacheDir>/<2 hex>/<key>.json`.
 * The key hashes the endpoint's identity (provider, model, base URL; never a key), the
 * messages, params and response format, and the sample index of a repeated request.
 * Files are written to a unique temp name and renamed into place, so a reader sees a whole
 * entry or none, and concurrent writers of one key leave one whole entry. A file that cannot
 * be read as an entry is a miss, not an error. The files are plain JSON so a team can commit
 * them as cassettes for `--cache replay` in CI.
 */

export interface CacheKeyParts {
  identity: Record<string, unknown>;
  messages: ChatMessage[];
  params: Record<string, unknown>;
  responseFormat?: JsonSchema;
  /** Tools offered and the tool choice (absent when none: older keys stay valid). */
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  /** Index of the sample of a repeated request; 0 is left out so it keys like a plain call. */
  sample?: number;
  /** An embeddings request's text (its messages and params are empty). */
  embeddingInput?: string;
}

export interface CachedResponse {
  text: string;
  /** The model's tool calls (an agent step's answer). */
  toolCalls?: ToolCall[];
  usage?: TokenUsage;
  latencyMs: number;
  ttftMs?: number;
  meta?: Record<string, unknown>;
  /** An embeddings call's vector. */
  embedding?: number[];
}

export interface CacheEntry {
  version: 1;
  key: string;
  createdAt: string;
  /** Model name in the config that recorded it, for humans reading a cassette. */
  model: string;
  request: CacheKeyParts;
  response: CachedResponse;
}

const KEY_LENGTH = 32;

/**
 * The cache key parts of a chat request: the one definition, used by live calls and by the dry
 * run's cache lookup, so a forecast sees the same hits the run will.
 */
export function chatKeyParts(identity: Record<string, unknown>, req: Pick<ModelRequest, 'messages' | 'params' | 'responseFormat' | 'tools' | 'toolChoice'>, sample?: number): CacheKeyParts {
  return { identity, messages: req.messages, params: req.params, responseFormat: req.responseFormat, tools: req.tools, toolChoice: req.toolChoice, sample };
}

export function cacheKey(parts: CacheKeyParts): string {
  const { sample, ...rest } = parts;
  return shortHash(stableJson(sample ? { ...rest, sample } : rest), KEY_LENGTH);
}

function isEntry(v: unknown, key: string): v is CacheEntry {
  if (!v || typeof v !== 'object') return false;
  const e = v as Partial<CacheEntry>;
  const r = e.response as Partial<CachedResponse> | undefined;
  return e.version === 1 && e.key === key && !!r && typeof r.text === 'string' && typeof r.latencyMs === 'number';
}

let tmpCounter = 0;

export class ResponseCache {
  /** Shard folders known to exist, so each is created once per run. */
  private readonly shards = new Map<string, Promise<unknown>>();

  constructor(
    readonly dir: string,
    private readonly onWriteError?: (message: string) => void,
  ) {}

  fileOf(key: string): string {
    return path.join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  /** The cached entry for `key`, or undefined (absent, unreadable or corrupt). */
  async get(key: string): Promise<CacheEntry | undefined> {
    let text: string;
    try {
      text = await readFile(this.fileOf(key), 'utf8');
    } catch {
      return undefined;
    }
    try {
      const parsed: unknown = JSON.parse(text);
      return isEntry(parsed, key) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }

  /** Writes an entry atomically. Never throws: a cache that cannot be written only costs a re-call. */
  async set(entry: CacheEntry): Promise<void> {
    const file = this.fileOf(entry.key);
    const shard = path.dirname(file);
    const tmp = `${file}.${process.pid}.${tmpCounter++}.tmp`;
    try {
      let made = this.shards.get(shard);
      if (!made) {
        made = mkdir(shard, { recursive: true });
        this.shards.set(shard, made);
      }
      await made;
      // Secrets are redacted from the text itself: no key can reach a cassette even via a message.
      await writeFile(tmp, redactSecrets(JSON.stringify(entry)) + '\n', 'utf8');
      await rename(tmp, file);
    } catch (err) {
      this.shards.delete(shard);
      await unlink(tmp).catch(() => undefined);
      this.onWriteError?.(`could not write the response cache at ${this.dir}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
