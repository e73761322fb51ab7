import { findPii } from '../../graders/pii.js';
import { maskFinding } from '../../graders/pii/mask.js';

/** Personal data in a logged text, masked with the pii grader's detectors and masks. */
export function maskPersonalData(text: string): { text: string; found: number } {
  const findings = findPii(text);
  if (findings.length === 0) return { text, found: 0 };
  let out = '';
  let at = 0;
  for (const f of [...findings].sort((a, b) => a.start - b.start)) {
    if (f.start < at) continue;
    out += text.slice(at, f.start) + maskFinding(f.kind, f.text);
    at = f.end;
  }
  return { text: out + text.slice(at), found: findings.length };
}
