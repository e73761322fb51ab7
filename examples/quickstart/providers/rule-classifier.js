// An offline stand-in for a model: classifies a support ticket with the keyword rules that the
// prompt itself lists ("- billing: invoice, refund, ..."), so a better prompt version really
// scores better. Swap the `classifier` model for an OpenAI or Anthropic one to test a real model.
export default async function classify(prompt) {
  const rules = [];
  for (const line of prompt.split('\n')) {
    const m = /^\s*-\s*([a-z_]+):\s*(.+)$/.exec(line);
    if (m) rules.push({ label: m[1], keywords: m[2].split(',').map((k) => k.trim().toLowerCase()).filter(Boolean) });
  }
  const ticket = (prompt.split(/^Ticket:\s*$/m)[1] ?? prompt).toLowerCase();
  let best = { label: 'other', hits: 0 };
  for (const rule of rules) {
    const hits = rule.keywords.filter((k) => ticket.includes(k)).length;
    if (hits > best.hits) best = { label: rule.label, hits };
  }
  return { output: best.label, tokens: { input: Math.ceil(prompt.length / 4), output: 1 } };
}
