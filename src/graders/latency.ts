import type { GraderConfig, GraderFactory } from '../types.js';
import { graderName } from './name.js';

interface LatencyOptions extends GraderConfig {
  maxMs: number;
}

/** The candidate call took at most `maxMs` milliseconds. */
const latency: GraderFactory = {
  type: 'latency',
  description: 'The model call took at most `maxMs` milliseconds.',
  optionsSchema: {
    type: 'object',
    properties: {
      maxMs: { type: 'number', exclusiveMinimum: 0, description: 'Ceiling in milliseconds for one call.' },
    },
    required: ['maxMs'],
    additionalProperties: false,
  },
  create(config) {
    const options = config as LatencyOptions;
    const name = graderName(config);
    return {
      name,
      grade(ctx) {
        if (ctx.latencyMs == null) return { pass: false, score: 0, reason: 'latency unknown for this case' };
        const ms = Math.round(ctx.latencyMs);
        const pass = ctx.latencyMs <= options.maxMs;
        return { pass, score: pass ? 1 : 0, reason: `latency ${ms} ms ${pass ? '≤' : '>'} ${options.maxMs} ms` };
      },
    };
  },
};

export default latency;
