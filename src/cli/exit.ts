import { LlmEvalError } from '../errors.js';
import { redactSecrets } from '../util/secrets.js';
import { escapeControlChars } from '../util/controlChars.js';

/**
 * Maps an error to an exit code and prints it: a known user error as its message (one line per
 * problem), anything else as a stack with a request for a bug report.
 */
export function handleError(err: unknown): number {
  if (err instanceof LlmEvalError) {
    process.stderr.write(escapeControlChars(redactSecrets(err.message)) + '\n');
    return err.exitCode;
  }
  const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(
    escapeControlChars(redactSecrets(`llm-eval crashed: this is a bug. Please report it with the text below.\n${text}`)) + '\n',
  );
  return 3;
}
