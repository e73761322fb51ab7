// The fake OpenAI/Anthropic server (test/fake-llm/server.ts) in its own process, so its CPU is
// never counted against the client being measured. Loads the TypeScript source through jiti
// (a dependency of llm-eval already). Prints one JSON line `{ "url": ..., "openaiBaseURL": ... }`
// on stdout once listening; on a line "stats" on stdin it prints its request counters; it exits
// when stdin closes.
//
//   node bench/lib/fake-server.mjs --latency 50 [--chunks 4] [--batch-polls 2]
//
// `--batch-polls N`: a provider batch ends at its Nth status read (default 2: the submitting run
// sees it in progress and leaves it for `batch collect`).
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createJiti } from 'jiti';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};

const jiti = createJiti(import.meta.url);
const serverFile = fileURLToPath(new URL('../../test/fake-llm/server.ts', import.meta.url));
const { startFakeLlm } = await jiti.import(serverFile);
const llm = await startFakeLlm({ latencyMs: arg('latency', 50), streamChunks: arg('chunks', 4), record: false });
llm.setBatchBehaviour({ pollsUntilDone: arg('batch-polls', 2) });
process.stdout.write(JSON.stringify({ url: llm.url, openaiBaseURL: llm.openaiBaseURL }) + '\n');

const rl = createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const [cmd, value] = line.trim().split(/\s+/);
  if (cmd === 'stats') process.stdout.write(JSON.stringify({ ...llm.stats, cpuMs: process.cpuUsage().user / 1000 + process.cpuUsage().system / 1000 }) + '\n');
  if (cmd === 'reset') {
    llm.reset();
    process.stdout.write('{"ok":true}\n');
  }
  if (cmd === 'latency') {
    llm.setLatency(Number(value));
    process.stdout.write('{"ok":true}\n');
  }
});
rl.on('close', () => {
  void llm.close().then(() => process.exit(0));
});
