import { describe, expect, it } from 'vitest';
import { transcriptText } from '../../src/util/transcript.js';
import { graderScope } from '../../src/graders/scope.js';
import type { ChatMessage } from '../../src/types.js';

const conversation: ChatMessage[] = [
  { role: 'system', content: 'You are the shop assistant.' },
  { role: 'user', content: 'Refund A1 please' },
  { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'lookup_order', rawArguments: '{"orderId":"A1"}', arguments: { orderId: 'A1' } }] },
  { role: 'tool', content: '{"refundable":true}', toolCallId: 'c1', toolName: 'lookup_order' },
  { role: 'assistant', content: 'Refunded.' },
];

describe('transcriptText', () => {
  it('renders turns, tool calls and tool results, without the system message', () => {
    expect(transcriptText(conversation)).toBe(
      ['user: Refund A1 please', 'assistant → lookup_order({"orderId":"A1"})', 'tool lookup_order: {"refundable":true}', 'assistant: Refunded.'].join('\n\n'),
    );
  });

  it('keeps an assistant text that comes with tool calls, and the raw text of invalid arguments', () => {
    const text = transcriptText([{ role: 'assistant', content: 'Let me check.', toolCalls: [{ id: 'x', name: 'refund', rawArguments: '{"orderId":' }] }]);
    expect(text).toBe('assistant: Let me check.\n\nassistant → refund({"orderId":)');
  });
});

describe('graderScope transcript', () => {
  it('gives graders {{ transcript }} when the conversation is known, and nothing otherwise', () => {
    const row = { id: 'r1', vars: { q: 'x' } };
    expect(graderScope(row, 'Refunded.', {}, conversation)['transcript']).toContain('tool lookup_order: {"refundable":true}');
    expect('transcript' in graderScope(row, 'Refunded.')).toBe(false);
  });
});
