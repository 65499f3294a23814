/**
 * The head of an npm script that takes nothing from its command line (`release:version`): refuses
 * what was typed for it, exit 2, before the commands after it run (lib/takes-nothing.ts).
 */
import { takesNothingProblem } from './lib/takes-nothing.js';

const script = process.env.npm_lifecycle_event ?? 'this script';
const problem = takesNothingProblem(script);
if (problem) {
  process.stderr.write(`${script}: ${problem}\n`);
  process.exit(2);
}
