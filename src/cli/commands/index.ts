/** Every CLI command, in help order. A new command adds one import and one entry here. */
import type { CliCommand } from '../context.js';
import { checkCommand } from './check.js';
import { copyCommand } from './copy.js';
import { generateCommand } from './generate.js';
import { getCommand } from './get.js';
import { rotateCommand } from './rotate.js';
import { runCommand } from './run.js';
import { scanCommand } from './scan.js';

/** The registered commands. */
export const commands: readonly CliCommand[] = [
  getCommand,
  generateCommand,
  checkCommand,
  copyCommand,
  runCommand,
  rotateCommand,
  scanCommand,
];
