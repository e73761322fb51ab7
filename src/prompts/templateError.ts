import { LlmEvalError } from '../errors.js';

/**
 * A Liquid template that cannot be parsed or rendered, outside a prompt file (a grader's `value`,
 * a label template). The caller knows where the template came from and reports it there.
 */
export class TemplateError extends LlmEvalError {
  /** 1-based line inside the template source, when Liquid knows it. */
  readonly line?: number;
  /** The undefined variable's path (`ticket` or `ticket.body`), for an undefined-variable error. */
  readonly variable?: string;
  constructor(message: string, opts: { line?: number; variable?: string } = {}) {
    super('TEMPLATE_INVALID', message, 2);
    this.line = opts.line;
    this.variable = opts.variable;
  }
}
