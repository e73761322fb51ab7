/**
 * fast-check runs with a fixed seed, so CI runs the same cases every time and a red build always
 * means a change broke something. To explore new inputs, run with FUZZ_SEED=random (or a number)
 * and FUZZ_RUNS=5000; a failure prints its seed and counterexample to pin in a test.
 */
import fc from 'fast-check';

const wanted = process.env['FUZZ_SEED'];
if (wanted !== 'random') fc.configureGlobal({ seed: wanted === undefined ? 20261201 : Number(wanted) });
