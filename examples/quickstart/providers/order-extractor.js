// An offline stand-in for a model: extracts order details as JSON with regular expressions.
// It reads the field list from the prompt ("Fields: email, order_id, intent"), so the prompt
// decides what comes back.
const INTENTS = { refund: ['refund', 'money back'], replace: ['replace', 'replacement', 'exchange'], status: ['where is', 'status', 'track', 'not arrived', "hasn't arrived"] };

export default async function extract(prompt) {
  const fields = (/Fields:\s*(.+)/.exec(prompt)?.[1] ?? '').split(',').map((f) => f.replace(/\(.*\)/, '').trim()).filter(Boolean);
  const message = prompt.split(/^Message:\s*$/m)[1] ?? prompt;
  const found = {
    email: /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/.exec(message)?.[0] ?? null,
    order_id: /\bORD-\d{5}\b/.exec(message)?.[0] ?? null,
    intent: Object.entries(INTENTS).find(([, words]) => words.some((w) => message.toLowerCase().includes(w)))?.[0] ?? 'other',
  };
  const out = {};
  for (const f of fields) if (f in found) out[f] = found[f];
  const output = '```json\n' + JSON.stringify(out) + '\n```';
  return { output, tokens: { input: Math.ceil(prompt.length / 4), output: Math.ceil(output.length / 4) } };
}
