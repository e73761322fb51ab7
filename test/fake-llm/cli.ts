/**
 * The fake LLM server as its own process, so a benchmark measures the client without the
 * server's CPU in the same event loop:
 *
 *   node --import jiti/register test/fake-llm/cli.ts --latency 50 [--port 0] [--chunks 4]
 *
 * Prints one JSON line `{ url, openaiBaseURL, anthropicBaseURL }` once listening (port 0 picks
 * a free port); answers every request by echoing the last user message, records nothing, and
 * runs until SIGINT/SIGTERM, then prints `{ total, maxInFlight }`.
 */
import { parseArgs } from 'node:util';
import { startFakeLlm } from './server.js';

const { values } = parseArgs({
  options: {
    latency: { type: 'string', default: '0' },
    port: { type: 'string', default: '0' },
    chunks: { type: 'string', default: '4' },
  },
});

const llm = await startFakeLlm({ latencyMs: Number(values.latency), streamChunks: Number(values.chunks), record: false, port: Number(values.port) });
process.stdout.write(JSON.stringify({ url: llm.url, openaiBaseURL: llm.openaiBaseURL, anthropicBaseURL: llm.anthropicBaseURL }) + '\n');

const stop = async (): Promise<void> => {
  await llm.close();
  process.stdout.write(JSON.stringify({ total: llm.stats.total, maxInFlight: llm.stats.maxInFlight }) + '\n');
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
