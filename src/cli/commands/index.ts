import type { Command } from 'commander';
import { registerInit } from './init.js';
import { registerValidate } from './validate.js';
import { registerRun } from './run.js';
import { registerRescore } from './rescore.js';
import { registerCompare } from './compare.js';
import { registerBaseline } from './baseline.js';
import { registerMerge } from './merge.js';
import { registerReport } from './report.js';
import { registerCalibrate } from './calibrate.js';
import { registerImport } from './import.js';
import { registerDataset } from './dataset.js';
import { registerBatch } from './batch.js';

/** Every CLI command, in help order. Each module registers one command on the program. */
export const commands: Array<(program: Command) => void> = [registerInit, registerValidate, registerRun, registerRescore, registerCompare, registerBaseline, registerMerge, registerReport, registerCalibrate, registerImport, registerDataset, registerBatch];
