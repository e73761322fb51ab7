import { describe, expect, it } from 'vitest';
import { joinConversation } from '../../../src/runner/conversation/join.js';
import type { ChatMessage } from '../../../src/types.js';

const sys = (content: string): ChatMessage => ({ role: 'system', content });
const user = (content: string): ChatMessage => ({ role: 'user', content });
const assistant = (content: string): ChatMessage => ({ role: 'assistant', content });

describe('joinConversation', () => {
  it('puts the template system messages first, then the row turns, then the template rest', () => {
    const template = [sys('rules'), sys('style'), user('few-shot q'), assistant('few-shot a'), user('{{ question }} rendered')];
    const prior = [user('earlier'), assistant('answer')];
    expect(joinConversation(template, prior)).toEqual([sys('rules'), sys('style'), user('earlier'), assistant('answer'), user('few-shot q'), assistant('few-shot a'), user('{{ question }} rendered')]);
  });

  it('puts the row turns first when the template has no system message', () => {
    expect(joinConversation([user('now')], [user('before'), assistant('ok')])).toEqual([user('before'), assistant('ok'), user('now')]);
  });

  it('leaves the template as it is when the row has no messages', () => {
    const template = [sys('rules'), user('q')];
    expect(joinConversation(template, undefined)).toEqual(template);
  });
});
