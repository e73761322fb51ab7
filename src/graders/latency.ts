import { graderName } from './name.js';
import { defineGrader } from './define.js';


/** The candidate call took at most `maxMs` milliseconds. */
const latency = defineGrader({
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
  create(options) {
    const name = graderName(options);
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
});

export default latency;
