// The tools of the support agent, for cases whose row has no canned result: called with the
// model's tool call ({ id, name, arguments, rawArguments }) and the case ({ vars, caseId }).
const ORDERS = {
  A100: { status: 'delivered', refundable: true, total: 42.5 },
  C300: { status: 'shipped', refundable: false, total: 12 },
};

export default async function tool(call) {
  const id = call.arguments?.orderId;
  if (call.name === 'lookup_order') return ORDERS[id] ?? { error: `no order ${id}` };
  if (call.name === 'refund') return ORDERS[id]?.refundable ? { refunded: true, orderId: id } : { refunded: false, reason: 'not eligible' };
  return undefined; // unknown tool: the model is told there is no result
}
