// An offline stand-in for a tool-calling model. It reads the conversation (ctx.messages, tool
// turns included) and does what a good support model would: look the order up, refund it when
// the customer asks and the order is refundable, then say what it did. Like a real model, it
// calls only the tools the prompt template declares (`tools:`, passed here as ctx.tools).
function lastUser(messages) {
  return [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';
}

/** Tool results since the last user message, by tool name. */
function resultsSinceUser(messages) {
  const results = {};
  for (let i = messages.length - 1; i >= 0 && messages[i].role !== 'user'; i--) {
    if (messages[i].role === 'tool') results[messages[i].toolName] = JSON.parse(messages[i].content);
  }
  return results;
}

function orderIn(messages) {
  for (const m of [...messages].reverse()) {
    const id = /\b([A-Z]\d{3})\b/.exec(m.content)?.[1] ?? m.toolCalls?.[0]?.arguments?.orderId;
    if (id) return id;
  }
  return undefined;
}

function answer(messages) {
  const user = lastUser(messages);
  const wantsRefund = /refund|money back/i.test(user);
  const results = resultsSinceUser(messages);
  const orderId = orderIn(messages);
  if (/thank/i.test(user) && !wantsRefund) return { output: "You're welcome! Anything else?" };
  if (!orderId) return { output: 'Which order is it about?' };
  const known = results.lookup_order ?? knownBefore(messages);
  if (!known) return { output: '', toolCalls: [{ name: 'lookup_order', arguments: { orderId } }] };
  if (wantsRefund && !results.refund && known.refundable) return { output: '', toolCalls: [{ name: 'refund', arguments: { orderId } }] };
  if (results.refund?.refunded) return { output: `Done: order ${orderId} is refunded (${known.total} EUR).` };
  if (wantsRefund) return { output: `Sorry, order ${orderId} is not eligible for a refund.` };
  return { output: `Order ${orderId} is ${known.status}.` };
}

/** An earlier lookup in the conversation (a prior turn). */
function knownBefore(messages) {
  const result = messages.find((m) => m.role === 'tool' && m.toolName === 'lookup_order');
  return result ? JSON.parse(result.content) : undefined;
}

export default async function supportModel(prompt, ctx) {
  const offered = new Set((ctx.tools ?? []).map((t) => t.name));
  let reply = answer(ctx.messages);
  const missing = reply.toolCalls?.find((c) => !offered.has(c.name));
  if (missing) reply = { output: `I cannot ${missing.name.replace('_', ' ')} from here.` };
  const chars = ctx.messages.reduce((n, m) => n + m.content.length, 0);
  return { ...reply, tokens: { input: Math.ceil(chars / 4), output: Math.ceil((reply.output.length + 40) / 4) } };
}
