// Shared by the two stand-in models: classify a ticket with the keyword rules the prompt lists.
// `reach` is how many keywords per category a model "knows", so a bigger model knows more.
export function classify(prompt, reach) {
  const rules = [];
  for (const line of prompt.split('\n')) {
    const m = /^\s*-\s*([a-z_]+):\s*(.+)$/.exec(line);
    if (m) rules.push({ label: m[1], keywords: m[2].split(',').map((k) => k.trim().toLowerCase()).filter(Boolean).slice(0, reach) });
  }
  const ticket = (prompt.split(/^Ticket:\s*$/m)[1] ?? prompt).toLowerCase();
  let best = { label: 'other', hits: 0 };
  for (const rule of rules) {
    const hits = rule.keywords.filter((k) => ticket.includes(k)).length;
    if (hits > best.hits) best = { label: rule.label, hits };
  }
  return best.label;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
