import path from 'node:path';
import type { ResolvedModel } from '../types.js';

/** How a model is named in reports: `openai:gpt-4o-mini`, `echo`, `script:classify.js`. */
export function modelLabel(m: ResolvedModel): string {
  if (m.provider === 'script' && m.module) return `script:${path.basename(m.module)}`;
  return m.model ? `${m.provider}:${m.model}` : m.provider;
}
