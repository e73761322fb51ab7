import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { displayFile, UsageError } from '../../errors.js';

function positiveInt(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a whole number ≥ 1, got "${value}"`);
  return n;
}

export function registerDataset(program: Command): void {
  const dataset = program.command('dataset').description('build golden datasets');
  dataset
    .command('from-logs')
    .description('draft a dataset from request/response logs (OpenAI chat-format JSONL): deduplicated, sampled, personal data masked')
    .argument('<file>', 'the log, one JSON object per line')
    .option('--out <file>', 'the draft dataset (.jsonl)', 'datasets/from-logs.jsonl')
    .option('--sample <n>', 'rows to keep', '200')
    .option('--stratify <by>', 'sample per `model` in proportion to its share, or `none`', 'model')
    .option('--seed <n>', 'seed of the random sample (same seed, same rows)', '1')
    .option('--no-mask', 'keep personal data as logged (the draft is meant to be committed: think twice)')
    .option('--force', 'overwrite --out')
    .action(async (file: string, flags: { out: string; sample: string; stratify: string; seed: string; mask: boolean; force?: boolean }) => {
      if (flags.stratify !== 'model' && flags.stratify !== 'none') throw new UsageError(`--stratify must be model or none, got "${flags.stratify}"`);
      if (!flags.out.endsWith('.jsonl')) throw new UsageError(`--out must be a .jsonl file, got "${flags.out}"`);
      // Loaded when the command runs: the pii detectors (libphonenumber-js) stay out of every other command's start-up.
      const [{ datasetFromLogs }, { redactPiiCounted }, { refuseOverwrite }] = await Promise.all([import('../../datasets/fromLogs/index.js'), import('../../graders/pii/redact.js'), import('../../init/projectFiles.js')]);
      const out = path.resolve(flags.out);
      refuseOverwrite('dataset from-logs', path.dirname(out), [path.basename(out)], Boolean(flags.force));
      const result = await datasetFromLogs(file, {
        sample: positiveInt('--sample', flags.sample),
        stratify: flags.stratify,
        seed: positiveInt('--seed', flags.seed),
        mask: flags.mask ? redactPiiCounted : (text) => ({ text, found: 0 }),
      }).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT' || err.code === 'EISDIR') throw new UsageError(`${displayFile(file)}: cannot read the log (${err.code})`);
        throw err;
      });
      await mkdir(path.dirname(out), { recursive: true });
      const stream = createWriteStream(out);
      for (const row of result.rows) stream.write(JSON.stringify(row) + '\n');
      await new Promise<void>((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(err) : resolve())));

      const w = process.stdout;
      w.write(`Read ${result.lines.toLocaleString('en-US')} lines of ${displayFile(file)}: ${result.distinct.toLocaleString('en-US')} distinct requests, ${result.duplicates.toLocaleString('en-US')} duplicates dropped, ${result.unreadable.toLocaleString('en-US')} unreadable.\n`);
      for (const p of result.problems) w.write(`  ${displayFile(file)}:${p.line}: ${p.message}\n`);
      if (result.unreadable > result.problems.length) w.write(`  … and ${result.unreadable - result.problems.length} more unreadable lines\n`);
      for (const s of result.strata) w.write(`  ${s.name}: ${s.sampled} of ${s.distinct.toLocaleString('en-US')}\n`);
      w.write(`Wrote ${result.rows.length} rows to ${displayFile(out)}${flags.mask ? `; ${result.piiMasked} personal data item(s) masked` : '; personal data NOT masked (--no-mask)'}.\n`);
      w.write('Each row\'s `expected` is the logged answer: review it before gating on it.\n');
    });
}
