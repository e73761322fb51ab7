// Offline stand-in for its announced successor (say claude-haiku-4-5): knows every keyword the
// prompt lists and answers in about 30 ms.
import { classify, sleep } from './keyword-router.mjs';

export default async function candidate(prompt) {
  await sleep(30);
  return { output: classify(prompt, Infinity), tokens: { input: Math.ceil(prompt.length / 4), output: 1 } };
}
