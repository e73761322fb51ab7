import { LIQUID_LIMITS } from '../config/limits.js';
import { Drop, Liquid, type Template } from 'liquidjs';
import { ConfigError, type Issue } from '../errors.js';
import type { ChatMessage, DatasetRow, PromptTemplate, RenderedPrompt } from '../types.js';
import { describeLiquidError, type LiquidFailure } from './liquidErrors.js';
import { TemplateError } from './templateError.js';
import { KeptRenders } from './keptRenders.js';

type Compiled = { ok: true; templates: Template[] } | { ok: false; failure: LiquidFailure };

type Rendered = { ok: true; messages: ChatMessage[] } | { ok: false; failure: LiquidFailure; message: number };

/** Stands in for a missing variable while probing for the next one: every property exists. */
class Placeholder extends Drop {
  override liquidMethodMissing(): Placeholder {
    return this;
  }
  override valueOf(): string {
    return '';
  }
}

/**
 * Renders the dataset check keeps for the run (`renderRow`). They are found again only for rows
 * the run takes from the check (datasets/keptRows.ts: files up to 8 MiB), so a 10,000-row suite
 * is rendered once; a larger dataset is read again and rendered when it runs. The bounds cap a
 * large template times many rows (16 M characters, 16–32 MB).
 */
const KEPT_ROWS = 65_536;
const KEPT_CHARS = 16_000_000;

/** Enough rounds to find every missing variable of any real template, bounded all the same. */
const MAX_PROBES = 100;

/**
 * Renders prompt templates and other Liquid snippets (grader values, label templates).
 *
 * One `Liquid` instance, and every source is parsed once and kept: a run renders the same few
 * templates for every case, so parsing per case would dominate the cost.
 *
 * Options, and why:
 *  - strictVariables: a variable the row does not provide is an error, never an empty string
 *    (the SPEC's contract; an empty prompt silently scores as a model failure).
 *  - lenientIf: `{% if optional %}`, `{% unless %}` and `| default:` still work on an absent
 *    variable, which is how a template says a variable is optional.
 *  - jsTruthy: an empty string is false in `{% if %}`, so an empty CSV cell reads as "not given"
 *    (standard Liquid treats "" as true).
 *  - strictFilters: a misspelt filter is a parse error, reported at validation.
 *  - root/partials/layouts: `{% include %}`, `{% render %}` and `{% layout %}` resolve only inside
 *    the prompts folder (liquidjs checks the real path, so a symlink cannot lead out), and nowhere
 *    when none is given; never the working directory, where `.env` lives. See includes.ts.
 */
export class PromptRenderer {
  readonly liquid: Liquid;
  private readonly compiled = new Map<string, Compiled>();
  private readonly kept = new KeptRenders(KEPT_ROWS, KEPT_CHARS);

  constructor(opts: { promptsDir?: string } = {}) {
    const partialDirs = opts.promptsDir === undefined ? [] : [opts.promptsDir];
    this.liquid = new Liquid({
      strictVariables: true,
      strictFilters: true,
      lenientIf: true,
      jsTruthy: true,
      root: partialDirs,
      partials: partialDirs,
      layouts: partialDirs,
      ...LIQUID_LIMITS,
    });
  }

  /** Renders every message of `template` with the row's vars at the top level of the scope. */
  render(template: PromptTemplate, vars: Record<string, unknown>): RenderedPrompt {
    const result = this.tryRender(template, vars);
    if (!result.ok) throw new ConfigError([this.templateIssue(template, result.message, result.failure, vars)]);
    return renderedPrompt(template, result.messages);
  }

  /**
   * Renders `template` for a dataset row: the render `checkRowAgainstTemplate` made of this row
   * when it was kept (the run renders each row once), else a fresh one.
   */
  renderRow(template: PromptTemplate, row: DatasetRow): RenderedPrompt {
    const messages = this.kept.take(row, keptKey(template));
    if (messages === undefined) return this.render(template, row.vars);
    return renderedPrompt(template, messages);
  }

  /** Renders any Liquid source against `scope`; throws TemplateError naming the problem. */
  renderString(source: string, scope: Record<string, unknown>): string {
    const compiled = this.compile(source);
    if (!compiled.ok) throw templateError(source, compiled.failure, scope);
    try {
      return this.liquid.renderSync(compiled.templates, scope) as string;
    } catch (err) {
      throw templateError(source, describeLiquidError(err), scope);
    }
  }

  /** Liquid syntax errors in a template's messages, each at its line in the template file. */
  syntaxIssues(template: PromptTemplate): Issue[] {
    const issues: Issue[] = [];
    template.messages.forEach((message, i) => {
      const compiled = this.compile(message.content);
      if (!compiled.ok) issues.push(this.templateIssue(template, i, compiled.failure, {}));
    });
    return issues;
  }

  /**
   * Variables the template needs that `vars` lacks, in the order rendering meets them: top-level
   * names (`ticket`), or a path (`ticket.body`) when the row has the value but not the property.
   * Variables only tested by `{% if %}` or given a `| default:` are optional and never listed.
   */
  missingVariables(template: PromptTemplate, vars: Record<string, unknown>): string[] {
    // Rendering is the ground truth (static analysis cannot tell an optional variable from a
    // required one): render, and on each undefined variable stand a placeholder in for it and go on.
    const scope: Record<string, unknown> = { ...vars };
    const missing: string[] = [];
    for (const message of template.messages) {
      const compiled = this.compile(message.content);
      if (!compiled.ok) continue;
      for (let probe = 0; probe < MAX_PROBES; probe++) {
        let failure: LiquidFailure | undefined;
        try {
          this.liquid.renderSync(compiled.templates, scope);
        } catch (err) {
          failure = describeLiquidError(err);
        }
        if (failure?.kind !== 'undefined' || failure.variable === undefined) break;
        const { variable } = failure;
        if (!missing.includes(variable)) missing.push(variable);
        // Liquid names the first undefined segment, so a dotted path is a missing property of a
        // value that exists (a row value or a loop variable): standing in for it would mean
        // copying that value, and one such path is enough to report.
        if (variable.includes('.') || scope[variable] instanceof Placeholder) break;
        scope[variable] = new Placeholder();
      }
    }
    return missing;
  }

  /**
   * Whether `template` renders for `row`: null when it does, else one Issue at the row's line
   * (missing variables, a failing filter) or at the template's line (a Liquid syntax error).
   */
  checkRowAgainstTemplate(row: DatasetRow, template: PromptTemplate): Issue | null {
    const result = this.tryRender(template, row.vars);
    if (result.ok) {
      this.kept.keep(row, keptKey(template), result.messages);
      return null;
    }
    const { failure } = result;
    if (failure.kind === 'syntax') return this.templateIssue(template, result.message, failure, row.vars);
    const at = { file: row.source.file, line: row.source.line };
    if (failure.kind === 'undefined') {
      return { ...at, message: missingMessage(template.ref, this.missingOrFailed(template, row.vars, failure), row.vars, 'row') };
    }
    const where = `${template.file}:${this.fileLine(template, result.message, failure.line)}`;
    return { ...at, message: `prompt ${template.ref} cannot be rendered for this row: ${failure.message} (template ${where})` };
  }

  /** The missing variables, never empty: falls back to the one the failed render named. */
  private missingOrFailed(template: PromptTemplate, vars: Record<string, unknown>, failure: LiquidFailure): string[] {
    const missing = this.missingVariables(template, vars);
    return missing.length > 0 ? missing : [failure.variable ?? '?'];
  }

  private tryRender(template: PromptTemplate, vars: Record<string, unknown>): Rendered {
    const messages: ChatMessage[] = [];
    for (let i = 0; i < template.messages.length; i++) {
      const { role, content, cache } = template.messages[i]!;
      const compiled = this.compile(content);
      if (!compiled.ok) return { ok: false, failure: compiled.failure, message: i };
      try {
        const rendered: ChatMessage = { role, content: this.liquid.renderSync(compiled.templates, vars) as string };
        if (cache) rendered.cache = cache;
        messages.push(rendered);
      } catch (err) {
        return { ok: false, failure: describeLiquidError(err), message: i };
      }
    }
    return { ok: true, messages };
  }

  /** Parses once per distinct source; failures are kept too, so a broken template is not re-parsed per row. */
  private compile(source: string): Compiled {
    let compiled = this.compiled.get(source);
    if (compiled === undefined) {
      try {
        compiled = { ok: true, templates: this.liquid.parse(source) };
      } catch (err) {
        compiled = { ok: false, failure: describeLiquidError(err) };
      }
      this.compiled.set(source, compiled);
    }
    return compiled;
  }

  /** A problem located in the template file (syntax, or a render error with no row to blame). */
  private templateIssue(template: PromptTemplate, message: number, failure: LiquidFailure, vars: Record<string, unknown>): Issue {
    const line = this.fileLine(template, message, failure.line);
    const role = template.messages[message]?.role ?? 'user';
    let text: string;
    if (failure.kind === 'syntax') text = `prompt ${template.ref}: Liquid syntax error in the ${role} message: ${failure.message}`;
    else if (failure.kind === 'undefined') text = missingMessage(template.ref, this.missingOrFailed(template, vars, failure), vars, 'caller');
    else text = `prompt ${template.ref}: rendering the ${role} message failed: ${failure.message}`;
    return { file: template.file, line, message: text };
  }

  private fileLine(template: PromptTemplate, message: number, liquidLine: number | undefined): number {
    const start = template.messageLines?.[message];
    if (start === undefined) return 0;
    return start + Math.max(0, (liquidLine ?? 1) - 1);
  }
}

/** Which template a kept render is of: by its content hash, so an edited template is rendered afresh. */
function keptKey(template: PromptTemplate): string {
  return `${template.ref}\u0000${template.hash}`;
}

const MAX_LISTED_VARS = 12;

/** `prompt X uses variable "ticket", which this row does not provide (row vars: body, channel)` */
function missingMessage(ref: string, missing: string[], vars: Record<string, unknown>, origin: 'row' | 'caller'): string {
  const names = Object.keys(vars);
  const shown = names.slice(0, MAX_LISTED_VARS).join(', ') + (names.length > MAX_LISTED_VARS ? ', …' : '');
  const noun = missing.length === 1 ? 'variable' : 'variables';
  const quoted = missing.map((m) => `"${m}"`).join(', ');
  return origin === 'row'
    ? `prompt ${ref} uses ${noun} ${quoted}, which this row does not provide (${names.length ? `row vars: ${shown}` : 'the row has no vars'})`
    : `prompt ${ref} uses ${noun} ${quoted}, which ${missing.length === 1 ? 'was' : 'were'} not provided (${names.length ? `provided: ${shown}` : 'no vars were provided'})`;
}

function templateError(source: string, failure: LiquidFailure, scope: Record<string, unknown>): TemplateError {
  const shown = JSON.stringify(source.length > 60 ? `${source.slice(0, 57)}...` : source);
  const message =
    failure.kind === 'undefined'
      ? `template ${shown} uses variable "${failure.variable}", which is not defined (defined: ${Object.keys(scope).join(', ') || 'nothing'})`
      : `template ${shown}: ${failure.kind === 'syntax' ? 'Liquid syntax error: ' : ''}${failure.message}`;
  return new TemplateError(message, { line: failure.line, variable: failure.variable });
}

/** The one place a template and its rendered messages become a request's prompt (what else the template sends rides along). */
function renderedPrompt(template: PromptTemplate, messages: RenderedPrompt['messages']): RenderedPrompt {
  const rendered: RenderedPrompt = { name: template.name, version: template.version, hash: template.hash, messages };
  if (template.responseFormat !== undefined) rendered.responseFormat = template.responseFormat;
  if (template.tools !== undefined) rendered.tools = template.tools;
  if (template.toolChoice !== undefined) rendered.toolChoice = template.toolChoice;
  return rendered;
}
