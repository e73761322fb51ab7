import cliProgress from 'cli-progress';
import { formatCount, formatDuration, formatPercent, formatUsd } from '../format.js';

/** What the progress display shows, updated after each finished case. */
export interface ProgressStats {
  done: number;
  total: number;
  passed: number;
  /** Finished in this process (excludes resumed cases), for the ETA. */
  doneHere: number;
  spendUsd: number;
  elapsedMs: number;
}

export interface ProgressDisplay {
  /** Shows the starting point (a resumed run starts part way). */
  start(stats: ProgressStats): void;
  update(stats: ProgressStats): void;
  /** Prints a line above the progress without garbling it. */
  log(line: string): void;
  stop(): void;
}

/** Over the cases finished in this process: a resumed run's earlier outcomes are not known here. */
function passRate(s: ProgressStats): string {
  return s.doneHere > 0 ? formatPercent(s.passed / s.doneHere) : '–';
}

export function etaMs(s: ProgressStats): number | null {
  if (s.doneHere <= 0 || s.done >= s.total) return null;
  return (s.elapsedMs / s.doneHere) * (s.total - s.done);
}

/** The live bar on a terminal: redrawn in place by cli-progress, cleared when the run ends. */
export class LiveProgress implements ProgressDisplay {
  private readonly bar: cliProgress.SingleBar;
  private started = false;

  constructor(private readonly stream: NodeJS.WritableStream) {
    this.bar = new cliProgress.SingleBar({
      stream,
      format: '{bar} {value}/{total} | pass {passRate} | {spend} | ETA {etaText}',
      barsize: 30,
      barCompleteChar: '█',
      barIncompleteChar: '░',
      hideCursor: null,
      clearOnComplete: true,
      // The runner owns SIGINT (it stops the run and keeps results); the bar must not exit on its own.
      gracefulExit: false,
      // Repaint each frame, so a line written between frames (a warning) never leaves a torn bar.
      forceRedraw: true,
      fps: 8,
      linewrap: false,
    });
  }

  start(s: ProgressStats): void {
    this.bar.start(s.total, s.done, this.payload(s));
    this.started = true;
  }

  update(s: ProgressStats): void {
    if (!this.started) this.start(s);
    else this.bar.update(s.done, this.payload(s));
  }

  private payload(s: ProgressStats): Record<string, string> {
    return { passRate: passRate(s), spend: formatUsd(s.spendUsd), etaText: formatEta(s) };
  }

  log(line: string): void {
    // Clear the bar's line, print, and let the next frame draw the bar again below.
    this.stream.write(`\r\u001b[2K${line}\n`);
  }

  stop(): void {
    if (this.started) this.bar.stop();
    this.started = false;
  }
}

function formatEta(s: ProgressStats): string {
  const eta = etaMs(s);
  return eta == null ? '–' : formatDuration(eta);
}

/** The plain form for CI logs and pipes: a line each `everyPercent` of the run or `everyMs`, whichever comes first. */
export class PlainProgress implements ProgressDisplay {
  private lastPercentStep = 0;
  private lastLineAt = 0;
  private last: ProgressStats | null = null;
  private printedLast = false;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly everyPercent = 10,
    private readonly everyMs = 10_000,
  ) {}

  private step(s: ProgressStats): number {
    return s.total > 0 ? Math.floor(((s.done / s.total) * 100) / this.everyPercent) : 0;
  }

  start(s: ProgressStats): void {
    // A resumed run starts part way: count steps from there, so its first case prints no line.
    this.lastPercentStep = this.step(s);
    this.lastLineAt = s.elapsedMs;
  }

  update(s: ProgressStats): void {
    this.last = { ...s };
    this.printedLast = false;
    const step = this.step(s);
    if (step > this.lastPercentStep || s.elapsedMs - this.lastLineAt >= this.everyMs) {
      this.lastPercentStep = Math.max(step, this.lastPercentStep);
      this.lastLineAt = s.elapsedMs;
      this.print(s);
    }
  }

  private print(s: ProgressStats): void {
    this.printedLast = true;
    const pct = s.total > 0 ? Math.floor((s.done / s.total) * 100) : 0;
    const eta = etaMs(s);
    this.stream.write(`progress ${formatCount(s.done)}/${formatCount(s.total)} (${pct}%) · pass ${passRate(s)} · ${formatUsd(s.spendUsd)}${eta == null ? '' : ` · ETA ${formatDuration(eta)}`}\n`);
  }

  log(line: string): void {
    this.stream.write(`${line}\n`);
  }

  stop(): void {
    // The final count, unless it was just printed (a stopped run ends between steps).
    if (this.last && !this.printedLast) this.print(this.last);
  }
}
