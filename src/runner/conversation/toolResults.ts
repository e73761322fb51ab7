import path from 'node:path';
import { existsSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { ConfigError, type Issue } from '../../errors.js';
import type { DatasetRow, ResolvedSuite, RowToolResult, ToolCall, ToolResultRecord } from '../../types.js';
import { importUserModule } from '../../util/importModule.js';

/**
 * Where the agent loop's tool results come from: the row's `toolResults` (first match wins), then
 * the suite's `tools: { module }` (your code: `export default async (call, ctx) => result`). A
 * call neither answers gets an error result the model sees (`{"error": "no result for …"}`), and
 * is marked `missing` in the record: calling an unexpected tool is the model's behaviour to grade,
 * not a crash.
 */

/** What a tools module's default export receives and returns (a string is sent as is, else as JSON). */
export type ToolsModuleFn = (
  call: { id: string; name: string; arguments: unknown; rawArguments: string },
  ctx: { vars: Record<string, unknown>; caseId: string },
) => unknown;

export interface AgentOptions {
  maxSteps: number;
  /** Absolute path of the suite's tools module, if any. */
  toolsModule?: string;
}

/** The suite's agent settings (`agent:`, `tools:`), or undefined when the suite is not an agent suite. */
export function agentOptionsOf(suite: ResolvedSuite, configDir: string): AgentOptions | undefined {
  const agent = suite.options['agent'] as { maxSteps: number } | undefined;
  const tools = suite.options['tools'] as { module: string } | undefined;
  if (!agent) return undefined;
  const opts: AgentOptions = { maxSteps: agent.maxSteps };
  if (tools) opts.toolsModule = path.resolve(configDir, tools.module);
  return opts;
}

/** Problems with a suite's agent settings, before any call (config file, at line 0). */
export function agentSuiteIssues(suite: ResolvedSuite, config: { file: string; dir: string }): Issue[] {
  const tools = suite.options['tools'] as { module: string } | undefined;
  const issues: Issue[] = [];
  if (tools && !suite.options['agent']) {
    issues.push({ file: config.file, line: 0, message: `suite "${suite.name}": \`tools\` is used by the agent loop only; add \`agent: { maxSteps: 5 }\` or remove \`tools\`` });
  }
  if (tools && !existsSync(path.resolve(config.dir, tools.module))) {
    issues.push({ file: config.file, line: 0, message: `suite "${suite.name}": tools module ${tools.module} not found (paths resolve against llm-eval.yaml)` });
  }
  return issues;
}

const modules = new Map<string, Promise<ToolsModuleFn>>();

function loadToolsModule(file: string): Promise<ToolsModuleFn> {
  let loaded = modules.get(file);
  if (!loaded) {
    if (!existsSync(file)) throw ConfigError.at(file, 0, 'tools module not found; check `tools: { module }` in the suite');
    loaded = importUserModule<ToolsModuleFn>(file, 'the suite\'s tools');
    modules.set(file, loaded);
  }
  return loaded;
}

/** True when every key of `expected` is in `actual` with an equal value (nested objects: the same rule). */
export function containsArguments(expected: Record<string, unknown>, actual: unknown): boolean {
  if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return false;
  const got = actual as Record<string, unknown>;
  return Object.entries(expected).every(([key, want]) => {
    const value = got[key];
    if (typeof want === 'object' && want !== null && !Array.isArray(want)) return containsArguments(want as Record<string, unknown>, value);
    return isDeepStrictEqual(want, value);
  });
}

function rowResult(results: readonly RowToolResult[] | undefined, call: ToolCall): RowToolResult | undefined {
  return results?.find((r) => r.tool === call.name && (!r.arguments || containsArguments(r.arguments, call.arguments)));
}

function asContent(result: unknown): string {
  return typeof result === 'string' ? result : JSON.stringify(result) ?? 'null';
}

/** The result of one tool call for one row. */
export async function resolveToolCall(call: ToolCall, row: DatasetRow, opts: AgentOptions): Promise<ToolResultRecord> {
  const fromRow = rowResult(row.toolResults, call);
  if (fromRow) return { callId: call.id, name: call.name, content: asContent(fromRow.result) };
  if (opts.toolsModule) {
    const fn = await loadToolsModule(opts.toolsModule);
    let result: unknown;
    try {
      result = await fn({ id: call.id, name: call.name, arguments: call.arguments, rawArguments: call.rawArguments }, { vars: row.vars, caseId: row.id });
    } catch (err) {
      // The tool failed: the model is told, as a real tool error would be.
      return { callId: call.id, name: call.name, content: JSON.stringify({ error: err instanceof Error ? err.message : String(err) }) };
    }
    if (result !== undefined) return { callId: call.id, name: call.name, content: asContent(result) };
  }
  return {
    callId: call.id,
    name: call.name,
    content: JSON.stringify({ error: `no result for tool "${call.name}" with arguments ${call.rawArguments}` }),
    missing: true,
  };
}
