import { type CompileOptions, compileWorkflow } from '../compiler/compile-workflow.ts';
import type { ExecutionPlan } from '../compiler/plan.ts';
import { type RuleValidationError, WorkflowValidationError } from '../errors.ts';
import { simulateRun } from './simulate-run.ts';
import type { SimInput, SimResult } from './types.ts';

/** The editor's "test run" on a draft: the draft's problems, or what a run would do. */
export async function simulateWorkflow(
  doc: unknown,
  input: SimInput,
  options: CompileOptions = {},
): Promise<SimResult | { errors: RuleValidationError[] }> {
  let plan: ExecutionPlan;
  try {
    plan = compileWorkflow(doc, options);
  } catch (error) {
    if (error instanceof WorkflowValidationError) return { errors: error.errors };
    throw error;
  }
  return simulateRun(plan, input, options.registry ? { registry: options.registry } : {});
}
