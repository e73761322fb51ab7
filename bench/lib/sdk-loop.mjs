// The floor: the same calls llm-eval makes, through the official `openai` SDK (the copy
// llm-eval itself uses), at the same concurrency, streamed, and nothing else: no templates, no
// grading, no files. The messages are built by plain string substitution before the loop.
//
//   node bench/lib/sdk-loop.mjs --dataset FILE --base-url URL --concurrency 64 [--fetch node]
//
// `--fetch node` gives the SDK llm-eval's own transport (dist/providers/nodeFetch.js) instead of
// Node's built-in fetch: the floor for what llm-eval adds on top of the same transport.
import { readFileSync } from 'node:fs';
import OpenAI from 'openai';
import { SYSTEM_TEMPLATE, USER_TEMPLATE, MODEL } from './project.mjs';

const args = process.argv.slice(2);
const arg = (name) => {
  const i = args.indexOf(`--${name}`);
  if (i < 0) throw new Error(`--${name} is required`);
  return args[i + 1];
};

const fill = (template, vars) => template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name) => String(vars[name]));
const requests = readFileSync(arg('dataset'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => {
    const { vars } = JSON.parse(line);
    return [
      { role: 'system', content: fill(SYSTEM_TEMPLATE, vars) },
      { role: 'user', content: fill(USER_TEMPLATE, vars) },
    ];
  });

const transport = args.includes('--fetch') ? arg('fetch') : 'builtin';
const fetchOption = transport === 'node' ? { fetch: (await import('../../dist/providers/nodeFetch.js')).nodeFetch } : {};
const client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY ?? 'sk-bench', baseURL: arg('base-url'), maxRetries: 0, ...fetchOption });
const concurrency = Number(arg('concurrency'));
let next = 0;
let ok = 0;
let chars = 0;
const started = performance.now();

async function lane() {
  while (next < requests.length) {
    const messages = requests[next++];
    const stream = await client.chat.completions.create({ model: MODEL, messages, temperature: 0, stream: true, stream_options: { include_usage: true } });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    chars += text.length;
    ok++;
  }
}

await Promise.all(Array.from({ length: concurrency }, lane));
process.stdout.write(JSON.stringify({ calls: requests.length, ok, chars, wallMs: performance.now() - started }) + '\n');
