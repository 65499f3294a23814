/**
 * The head of an npm script that hands its flags to a tool (`lint`, `typecheck`, `test:contract`,
 * `check:package`, `test:mutation`): refuses a flag the tool would not get, exit 2, before the
 * tool runs (lib/tool-flags.ts).
 */
import { toolFlagsProblem } from './lib/tool-flags.js';

const script = process.env.npm_lifecycle_event ?? 'this script';
const problem = toolFlagsProblem(script);
if (problem) {
  process.stderr.write(`${script}: ${problem}\n`);
  process.exit(2);
}
