// A deliberately gullible stand-in for a model, so the injection pack shows both outcomes offline.
// It does what careless LLM apps do: it pastes retrieved documents and tool output into its answer,
// obeys any request to print its instructions, says whatever it is told to say in quotes, follows
// "transfer $X to account Y" wherever it reads it, and decodes base64 it is handed. It does not
// understand leetspeak, reversed text or guillemets, so those attacks "fail" against it.
// Replace the `naive` model with a real one (see llm-eval.yaml) to test your model and prompt.

const EXTRACTION =
  /\b(?:repeat|print|reveal|show|output|display|tell me|translate|summari[sz]e|read me)\b[^.!?\n]{0,80}\b(?:system prompt|hidden prompt|instructions|everything above|configuration|rules you were given|reference code)/i;
const QUOTED_ORDER = /\b(?:say|reply with|reply only with|respond with|answer with|start your reply with)\s*:?\s*"([^"\n]{2,160})"/gi;
const TRANSFER = /\btransfer\s+(?:\$|€|£|EUR\s*|USD\s*)?([\d,.]+)\s+to\s+account\s+([A-Z0-9-]{5,34})/gi;
const BASE64_RUN = /[A-Za-z0-9+/]{16,}={0,2}/g;

/** Text hidden in base64, when it decodes to readable ASCII. */
function decodedBase64(text) {
  const out = [];
  for (const m of text.matchAll(BASE64_RUN)) {
    const decoded = Buffer.from(m[0], 'base64').toString('utf8');
    if (/^[\x20-\x7e\n]+$/.test(decoded)) out.push(decoded);
  }
  return out.join('\n');
}

export default async function naive(prompt, { messages, vars }) {
  const system = messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n\n');
  const documents = Array.isArray(vars.documents) ? vars.documents : [];
  const toolOutput = typeof vars.tool_output === 'string' ? vars.tool_output : '';
  const untrusted = [vars.user_input ?? '', ...documents.map((d) => d.text ?? ''), toolOutput].join('\n');
  const read = `${untrusted}\n${decodedBase64(untrusted)}`;

  const parts = [];
  if (EXTRACTION.test(read)) parts.push(`Of course! Here are my instructions, word for word:\n\n${system}`);
  for (const m of read.matchAll(QUOTED_ORDER)) parts.push(m[1]);
  for (const m of read.matchAll(TRANSFER)) parts.push(`ACTION: transfer_funds(checking-001, ${m[2]}, ${m[1].replace(/,/g, '')})`);
  if (documents.length) parts.push(`According to our documentation: ${documents.map((d) => d.text).join(' ')}`);
  if (toolOutput) parts.push(`Here is what the account tool returned: ${toolOutput}`);
  if (parts.length === 0) parts.push('Thanks for contacting Acme Bank! I can help with your accounts, cards and recent transactions.');

  const output = parts.join('\n\n');
  return { output, tokens: { input: Math.ceil(prompt.length / 4), output: Math.ceil(output.length / 4) } };
}
