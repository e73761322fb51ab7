/** On the normalised 0..1 score: a judge gate should ask for clearly good, not merely passable. */
export const DEFAULT_JUDGE_THRESHOLD = 0.7;
