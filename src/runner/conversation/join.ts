import type { ChatMessage } from '../../types.js';

/**
 * Joins a rendered template's messages with a row's prior conversation: the template's leading
 * system message(s) first, then the row's turns, then the template's remaining messages. The
 * row's turns are data (never rendered); the template's messages were rendered with strict Liquid.
 */
export function joinConversation(template: readonly ChatMessage[], prior: readonly ChatMessage[] | undefined): ChatMessage[] {
  if (!prior?.length) return [...template];
  let systems = 0;
  while (systems < template.length && template[systems]!.role === 'system') systems++;
  return [...template.slice(0, systems), ...prior, ...template.slice(systems)];
}
