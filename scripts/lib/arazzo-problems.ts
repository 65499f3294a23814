/**
 * What in an Arazzo file would make respect fail it only after calls were made, or never end:
 * found before anything runs, each named by file, workflow, step and rule. Respect ran the steps
 * before an unknown operationId (a write, against a sandbox), repeated a goto loop 2,000 times
 * (2,000 accounts created) and then wrote no results, and told a reference to a step that is
 * not there only as "wrote no results".
 */
import { basename } from 'node:path';

interface Action {
  name?: string;
  type?: string;
  stepId?: string;
}
export interface ArazzoStep {
  stepId: string;
  operationId?: string;
  onSuccess?: Action[];
  onFailure?: Action[];
  [field: string]: unknown;
}
export interface ArazzoWorkflow {
  workflowId: string;
  steps?: ArazzoStep[];
  outputs?: unknown;
}

/** Every `$steps.<id>` a value mentions, at any depth. */
function stepsMentioned(value: unknown, found = new Set<string>()): Set<string> {
  if (typeof value === 'string') for (const [, id] of value.matchAll(/\$steps\.([A-Za-z0-9_-]+)/g)) found.add(id!);
  else if (Array.isArray(value)) for (const item of value) stepsMentioned(item, found);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) stepsMentioned(item, found);
  return found;
}

/**
 * The problems of one workflow file. `operations`: the operationIds its sourceDescriptions' bundles
 * hold. A goto to the same or an earlier step is refused: the journeys here have no loop, and one
 * whose exit depends on the vendor would repeat the calls before it against a sandbox.
 */
export function arazzoProblems(path: string, workflows: ArazzoWorkflow[], operations: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const file = basename(path);
  for (const workflow of workflows) {
    const steps = workflow.steps ?? [];
    const at = (step: ArazzoStep) => `${file}, workflow ${workflow.workflowId}, step ${step.stepId}`;
    const order = new Map(steps.map((step, index) => [step.stepId, index]));
    steps.forEach((step, index) => {
      if (step.operationId !== undefined && !operations.has(step.operationId)) {
        problems.push(`${at(step)}: operationId "${step.operationId}" is not an operation of its sourceDescriptions' bundle`);
      }
      for (const action of [...(step.onSuccess ?? []), ...(step.onFailure ?? [])]) {
        if (action.type !== 'goto' || action.stepId === undefined) continue;
        const target = order.get(action.stepId);
        if (target === undefined) problems.push(`${at(step)}: goto "${action.stepId}" names no step of the workflow`);
        else if (target <= index) problems.push(`${at(step)}: goto "${action.stepId}" runs a step again, a loop (respect repeats it up to 2,000 times, each call sent again to the vendor)`);
      }
      const { onSuccess: _s, onFailure: _f, ...rest } = step;
      for (const id of stepsMentioned(rest)) {
        const target = order.get(id);
        if (target === undefined) problems.push(`${at(step)}: $steps.${id} names no step of the workflow`);
        else if (target >= index) problems.push(`${at(step)}: $steps.${id} is not run before this step, so its outputs are not there yet`);
      }
    });
    for (const id of stepsMentioned(workflow.outputs)) {
      if (!order.has(id)) problems.push(`${file}, workflow ${workflow.workflowId}, outputs: $steps.${id} names no step of the workflow`);
    }
  }
  return problems;
}
