// @tripwire/rules — shared by the browser editor and the engine. Pure TypeScript: no node:*, pg
// or kafkajs imports anywhere under src/ (a test enforces it).

export type { CompileOptions } from './compiler/compile-workflow.ts';
export { compileWorkflow } from './compiler/compile-workflow.ts';
export type { EventRoute, ExecutionPlan, PlanNode, PlanRule, PlanTemplate } from './compiler/plan.ts';
export { COMPILER_VERSION, routeEvent } from './compiler/plan.ts';
export type {
  ConditionGroup,
  ConditionNode,
  ConditionOperator,
  ConditionRule,
  ConditionValue,
  Operand,
  ValueKind,
} from './conditions/builder-model.ts';
export {
  CONDITION_OPERATORS,
  conditionFromLogic,
  conditionToLogic,
  normalizeCondition,
  operatorsFor,
  ruleToLogic,
  UNARY_OPERATORS,
  valueKind,
} from './conditions/builder-model.ts';
export { describeLogic } from './conditions/describe-logic.ts';
export { describeVariable, variableFromTyped, variableSource } from './conditions/field-names.ts';
export type {
  ConfigIssue,
  ConfigOf,
  EventInterest,
  FieldShape,
  ListenRole,
  NodeKind,
  NodeMigration,
  NodeType,
  NodeTypeSpec,
} from './define-node-type.ts';
export {
  ACTION_FIELDS,
  ACTION_PRIORITIES,
  type ActionPriority,
  actionSettings,
  defineNodeType,
  NODE_KINDS,
  nodeKey,
  splitNodeKey,
} from './define-node-type.ts';
export { nodeReference } from './docs/node-reference.ts';
export type { DurationResult } from './duration/duration.ts';
export { durationMs, MAX_DURATION_MS, parseDuration } from './duration/duration.ts';
export type { HumanDuration, HumanDurationUnit } from './duration/human-duration.ts';
export {
  DurationError,
  describeDuration,
  fromHumanDuration,
  HUMAN_DURATION_UNITS,
  toHumanDuration,
} from './duration/human-duration.ts';
export type { ErrorPath, RuleValidationError } from './errors.ts';
export { WorkflowValidationError } from './errors.ts';
export type { ChangeLine } from './explain/describe-diff.ts';
export { describeChanges } from './explain/describe-diff.ts';
export type { RunLine, RunStepInput, RunStory } from './explain/describe-run.ts';
export { describeRun, describeValue } from './explain/describe-run.ts';
export type {
  Activation,
  ExplainedEvent,
  ExplainedRun,
  ExplainVersion,
  InRun,
  Reason,
  UserExplanation,
} from './explain/explain-user.ts';
export { explainUser, liveVersionAt } from './explain/explain-user.ts';
export { nodeNames } from './explain/node-names.ts';
export { sampleEventFor } from './explain/sample-event.ts';
export type { Field, FieldMeta, Widget } from './fields.ts';
export { CONSENT_CATEGORY, f } from './fields.ts';
export type { LogicBudget } from './logic/budget.ts';
export { DEFAULT_LOGIC_BUDGET, LogicBudgetError, logicBudgetOverruns } from './logic/budget.ts';
export type { CompiledLogic, LogicOptions } from './logic/compile.ts';
export { applyLogic, canGenerateCode, compileLogic, LogicError } from './logic/compile.ts';
export type { BuiltinOperator, CustomOperator, OperatorTable } from './logic/operators.ts';
export { BUILTIN_OPERATORS, createOperatorTable, defaultOperators, registerOperator } from './logic/operators.ts';
export type { LogicReads } from './logic/reads.ts';
export { logicReads, userFieldsOf } from './logic/reads.ts';
export { truthy } from './logic/runtime.ts';
export type { LogicIssue, LogicLimits, LogicPath } from './logic/validate-logic.ts';
export { DEFAULT_LOGIC_LIMITS, isLogic, validateLogic } from './logic/validate-logic.ts';
export {
  DURATION_RANGE_MESSAGE,
  durationInputProblem,
  jsonProblem,
  labelFromKey,
  plainErrorMap,
  plainIssueMessage,
} from './messages/plain-messages.ts';
export { builtinNodeTypes, builtinRegistry } from './nodes/builtin.ts';
export * from './nodes/index.ts';
export type { AnyNodeType, Registry } from './registry.ts';
export { createRegistry } from './registry.ts';
export type { BacktestResult, BacktestSide, NodeCounts, Outcome, SideResult } from './replay/backtest.ts';
export { BACKTEST_SIDES, backtestEventNames, createBacktest, OUTCOMES } from './replay/backtest.ts';
export type {
  EventOutcome,
  EventRecord,
  Replay,
  ReplayAction,
  ReplayEvent,
  ReplayOptions,
  ReplayRun,
  ReplayWorkflow,
} from './replay/replay.ts';
export { createReplay } from './replay/replay.ts';
export type { ConsentPreferences, ConsentSettings } from './runtime/consent.ts';
export { consentFromContext, decideConsent, MAX_CONSENT_CATEGORIES } from './runtime/consent.ts';
export { passOn, ruleCondition, sendAction } from './runtime/default-steps.ts';
export { resumeEntry, startEntry, targets } from './runtime/entries.ts';
export { accepts, receivedData, resumedData, startData } from './runtime/listen.ts';
export type { LoadedNode, LoadedPlan, LoadedRule, PlanProblem } from './runtime/loaded-plan.ts';
export { loadPlan, PlanLoadError } from './runtime/loaded-plan.ts';
export { andThen, type MaybePromise } from './runtime/maybe-async.ts';
export type { PathCount } from './runtime/path-counts.ts';
export { countPath, ENTERED } from './runtime/path-counts.ts';
export { REDACTED, redactConfig } from './runtime/redact.ts';
export { evaluateRule, valuesRead } from './runtime/rule-values.ts';
export type { RunStatus, Settled } from './runtime/run-status.ts';
export { settleRun } from './runtime/run-status.ts';
export type {
  ActionAdmission,
  ActionRequest,
  ConsentDecision,
  EventData,
  NodeRuntime,
  RuleData,
  RuntimeRule,
  StatePort,
  StepContext,
  StepFn,
  StepNode,
  StepOutcome,
  TimeWindow,
  WaitRequest,
} from './runtime/types.ts';
export type { PathEntry, WalkOptions, WalkPort, WalkResult } from './runtime/walk.ts';
export { MAX_WALK_STEPS, noConsentReason, walk } from './runtime/walk.ts';
export { simulateRun } from './simulate/simulate-run.ts';
export { simulateWorkflow } from './simulate/simulate-workflow.ts';
export type {
  SimAction,
  SimAwaitedEvent,
  SimEventData,
  SimEventInput,
  SimInput,
  SimResult,
  SimRuleData,
  SimStep,
} from './simulate/types.ts';
export type { StarterTemplate } from './starters/starter-template.ts';
export { starterTemplates } from './starters/starter-templates.ts';
export type { CompiledTemplate, TemplateIssue } from './template/template.ts';
export {
  compileTemplate,
  renderTemplate,
  renderUrlTemplate,
  TEMPLATE_ROOTS,
  templatePaths,
  validateTemplate,
} from './template/template.ts';
export type {
  EventSchema,
  ImportResult,
  PlanMode,
  PlanPropertyType,
  PropertySchema,
  TrackingPlanSchema,
} from './tracking-plan/tracking-plan.ts';
export {
  EMPTY_TRACKING_PLAN,
  eventJsonSchema,
  fromJsonSchema,
  JSON_SCHEMA_DIALECT,
  PLAN_LIMITS,
  PLAN_MODES,
  PLAN_PROPERTY_TYPES,
  PlanEvent,
  PlanProperty,
  TrackingPlan,
  toJsonSchema,
} from './tracking-plan/tracking-plan.ts';
export * from './wire/index.ts';
export {
  isHeaderName,
  isSendableHeaderValue,
  kafkaTopicProblem,
  MAX_WORKFLOW_TOPIC_LENGTH,
  RESERVED_TOPIC_PREFIXES,
  RESERVED_WEBHOOK_HEADERS,
  TENANT_HEADER,
  TENANT_TOPIC_PREFIX,
  tenantTopic,
  tenantTopicPrefix,
} from './wire.ts';
export type { ConnectionAttempt } from './workflow/connection-problem.ts';
export { connectionProblem } from './workflow/connection-problem.ts';
export type { WorkflowDiff } from './workflow/diff-workflows.ts';
export { diffWorkflows } from './workflow/diff-workflows.ts';
export type { WorkflowDocument, WorkflowDocumentInput, WorkflowEdge, WorkflowNode } from './workflow/document.ts';
export { workflowDocumentSchema } from './workflow/document.ts';
export { WORKFLOW_LIMITS } from './workflow/limits.ts';
export { sameJson as sameLogic } from './workflow/same-json.ts';
export type { Upgrade } from './workflow/upgrade-node.ts';
export { nodeUpgrade } from './workflow/upgrade-node.ts';
export type { ValidateOptions } from './workflow/validate.ts';
export { validateWorkflow } from './workflow/validate.ts';
