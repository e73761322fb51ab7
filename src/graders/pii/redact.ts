import { detectBuiltIn, resolveOverlaps } from './detectors.js';
import { maskFinding } from './mask.js';

/**
 * The text with every personal-data finding of the built-in detectors (e-mail, phone, card,
 * IBAN, SSN, public IP) replaced by its mask, as the pii grader's reasons show it. Masks are not
 * themselves findings, so redacting twice changes nothing.
 */
export function redactPii(text: string): string {
  return redactPiiCounted(text).text;
}

/** redactPii, and how many findings it masked (for summaries such as `dataset from-logs`). */
export function redactPiiCounted(text: string): { text: string; found: number } {
  const findings = resolveOverlaps(detectBuiltIn(text, { includePrivateIps: false }));
  if (findings.length === 0) return { text, found: 0 };
  let out = '';
  let at = 0;
  for (const f of findings) {
    out += text.slice(at, f.start) + maskFinding(f.kind, f.text);
    at = f.end;
  }
  return { text: out + text.slice(at), found: findings.length };
}
