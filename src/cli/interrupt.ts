/**
 * Ctrl-C handling for a run: the first SIGINT/SIGTERM asks the run to stop starting cases (in-flight
 * calls get a grace period, then a report marked interrupted is written); a second one exits at
 * once. results.jsonl is intact either way: every finished line was already handed to the OS.
 */
export function installInterruptHandler(stopping = 'stopping — finishing calls in flight (press Ctrl-C again to quit now)'): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals): void => {
    if (!controller.signal.aborted) {
      process.stderr.write(`\n${sig}: ${stopping}\n`);
      controller.abort();
      return;
    }
    process.stderr.write(`\n${sig}: quitting now; finished cases are in results.jsonl (resume with --resume latest)\n`);
    process.exit(3);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
