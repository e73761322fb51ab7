/**
 * Runs `worker` over a lazily pulled source with at most `concurrency` in flight. Pulling
 * lazily keeps memory flat however many cases there are; `shouldStop` is checked before each
 * new item is started, so a stop lets in-flight work finish.
 */
export async function runPool<T>(
  source: AsyncIterable<T>,
  concurrency: number,
  shouldStop: () => boolean,
  worker: (item: T) => Promise<void>,
): Promise<void> {
  const it = source[Symbol.asyncIterator]();
  let failure: unknown;
  let failed = false;
  async function lane(): Promise<void> {
    while (!failed && !shouldStop()) {
      const next = await it.next();
      if (next.done) return;
      try {
        await worker(next.value);
      } catch (err) {
        if (!failed) {
          failed = true;
          failure = err;
        }
        return;
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, lane));
  await it.return?.();
  if (failed) throw failure;
}
