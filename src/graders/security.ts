import type { GraderFactory } from '../types.js';
import canary from './canary.js';
import citations from './citations.js';
import notRefusal from './notRefusal.js';
import pii from './pii.js';
import refusal from './refusal.js';
import systemPromptLeak from './systemPromptLeak.js';

/**
 * The graders for what production LLM features get wrong: leaked personal data, invented
 * citations, refusals (and over-refusals), leaked canaries and system prompts. graders/builtins.ts
 * registers them with the other built-ins.
 */
export const securityGraders: GraderFactory[] = [pii, citations, refusal, notRefusal, canary, systemPromptLeak];
