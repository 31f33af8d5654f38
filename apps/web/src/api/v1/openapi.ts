import { workflowDocumentSchema } from '@tripwire/rules';
import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject } from 'zod-openapi';
import { BatchRequest, IdentifyMessage, TrackMessage } from '../../ingest/messages.ts';
import { ConsentPreferencesRequest, ConsentSettingsRequest } from '../../services/consent.ts';
import { TrackingPlanRequest } from '../../services/tracking-plan.ts';
import { CreateApiKeyRequest } from './admin-routes.ts';
import { DeadLetterQuery } from './dead-letter-routes.ts';
import { BacktestRequest, ExplainQuery, RollbackRequest } from './workflow-routes.ts';

const ErrorBody = z
  .object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) })
  .meta({ id: 'Error' });
const Success = z.object({ success: z.literal(true), messageId: z.string().optional() }).meta({ id: 'Success' });
const Document = workflowDocumentSchema.meta({ id: 'WorkflowDocument', description: 'Workflow document v1' });
const ValidationError = z
  .object({
    nodeId: z.string().optional(),
    edgeId: z.string().optional(),
    path: z.array(z.union([z.string(), z.number()])),
    code: z.string(),
    message: z.string(),
  })
  .meta({ id: 'ValidationError' });

const TrackingPlanPayload = z
  .object({
    mode: z.enum(['flag', 'drop', 'reject']),
    schema: z.object({ $schema: z.string(), $defs: z.record(z.string(), z.unknown()) }),
    updatedAt: z.string().nullable(),
  })
  .meta({ id: 'TrackingPlan' });

// Responses of "why (not)?" and backtests (issue 14), as services/explain.ts and services/backtests.ts return them.
const Read = z.record(z.string(), z.unknown()).meta({ description: 'Values a rule read, keyed by context path' });
const ExplainReason = z
  .object({
    code: z.enum([
      'duplicate',
      'unpublished',
      'no_trigger',
      'filtered',
      'started',
      'frequency_limited',
      'resumed',
      'wait_not_matched',
      'counted',
    ]),
    runId: z.string().optional(),
    nodeId: z.string().optional(),
    listensTo: z.array(z.string()).optional(),
    read: Read.optional(),
    filter: z.string().optional().meta({ description: 'The trigger filter in words' }),
    error: z.string().optional(),
    passes: z.number().optional(),
    max: z.number().optional(),
    until: z.string().optional(),
  })
  .meta({ id: 'ExplainReason' });
const Step = z.object({ nodeId: z.string(), output: z.string().optional() });
const Explanation = z
  .object({
    workflowId: z.uuid(),
    userId: z.string(),
    from: z.string(),
    to: z.string(),
    retentionDays: z.number(),
    events: z.array(
      z.object({
        messageId: z.string(),
        name: z.string(),
        at: z.string(),
        version: z.number().nullable().meta({ description: 'The version live when it arrived (null: unpublished)' }),
        reasons: z.array(ExplainReason),
        lines: z.array(z.string()).meta({ description: 'The reasons in words, one line each' }),
        inRuns: z.array(
          z.object({
            runId: z.string(),
            version: z.number(),
            startedAt: z.string(),
            waiting: z.object({ nodeId: z.string(), event: z.string(), until: z.string() }).optional(),
          }),
        ),
      }),
    ),
    runs: z.array(
      z.object({
        id: z.string().meta({ description: "The replay's id (run-N), as the reasons name it" }),
        version: z.number(),
        triggerMessageId: z.string(),
        startedAt: z.string(),
        status: z.enum(['running', 'waiting', 'completed', 'failed']),
        steps: z.array(Step),
        actions: z.number(),
        engineRunId: z.uuid().nullable(),
        trace: z.string().nullable(),
      }),
    ),
    differences: z.array(z.string()).meta({ description: "Where the replay and the engine's recorded runs disagree" }),
  })
  .meta({ id: 'Explanation' });
const NodeCounts = z
  .object({ entered: z.number(), outputs: z.record(z.string(), z.number()) })
  .meta({ id: 'NodeCounts' });
const BacktestSide = z.object({
  runs: z.number(),
  usersEntered: z.number(),
  actions: z.number(),
  nodes: z.record(z.string(), NodeCounts),
  actionsPerDay: z.record(z.string(), z.number()).meta({ description: 'UTC day (YYYY-MM-DD) -> actions' }),
  samples: z.record(z.enum(['entered', 'acted', 'completed', 'waiting', 'failed']), z.array(z.string())),
});
const Backtest = z
  .object({
    id: z.uuid(),
    workflowId: z.uuid(),
    status: z.enum(['queued', 'running', 'done', 'failed', 'cancelled']),
    progress: z.number().min(0).max(1),
    from: z.string(),
    to: z.string(),
    liveVersion: z.number().nullable(),
    document: Document,
    eventsTotal: z.number().nullable(),
    eventsDone: z.number(),
    error: z.string().nullable(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
    counts: z
      .object({ draft: z.record(z.string(), NodeCounts), live: z.record(z.string(), NodeCounts).nullable() })
      .nullable(),
    result: z
      .object({
        events: z.number(),
        draft: BacktestSide,
        live: BacktestSide.nullable(),
        difference: z.record(z.string(), NodeCounts).meta({ description: 'draft - live per node' }),
        onlyDraft: z.array(z.string()),
        onlyLive: z.array(z.string()),
      })
      .nullable(),
  })
  .meta({ id: 'Backtest' });

const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });
const error = (description: string) => json(ErrorBody, description);
const idParam = { path: z.object({ id: z.uuid() }) };

const ingestErrors = {
  '400': error('Invalid message, with the reason'),
  '401': error('Missing, unknown or revoked write key'),
  '413': error('Body too large (32 KB per message, 500 KB per batch)'),
  '429': error(
    "Over the workspace's ingestion rate (code rate_limited) or its plan's monthly event quota (code quota_exceeded, Retry-After until the next UTC month); see Retry-After",
  ),
  '503': error('Kafka unavailable: nothing was stored, retry later'),
};
const adminErrors = { '401': error('Missing, unknown or revoked key'), '403': error('The key lacks the admin scope') };
const workflowQuota = error(
  "The key lacks the admin scope, or (code quota_exceeded) the plan's workflow quota is reached",
);

const ingest = (summary: string, schema: z.ZodType): ZodOpenApiOperationObject => ({
  summary,
  tags: ['Ingestion'],
  security: [{ writeKeyBasic: [] }, { bearer: [] }],
  requestBody: { content: { 'application/json': { schema } } },
  responses: { '200': json(Success, 'Stored in Kafka (acknowledged by all in-sync replicas)'), ...ingestErrors },
});

const admin = (summary: string, rest: Partial<ZodOpenApiOperationObject>): ZodOpenApiOperationObject => ({
  summary,
  security: [{ bearer: [] }, { writeKeyBasic: [] }],
  ...rest,
  responses: { ...adminErrors, ...rest.responses },
});

let cached: ReturnType<typeof createDocument> | undefined;

/** OpenAPI 3.1 for /v1, generated from the same zod schemas that validate the requests. */
export function openApiDocument() {
  cached ??= createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Tripwire API',
      version: '1.0.0',
      description: 'Segment-compatible event ingestion, profiles, API keys and workflows as code.',
    },
    servers: [{ url: '/v1' }],
    components: {
      securitySchemes: {
        writeKeyBasic: {
          type: 'http',
          scheme: 'basic',
          description: 'The API key as username, empty password (Segment style)',
        },
        bearer: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <API key>' },
      },
    },
    paths: {
      '/track': { post: ingest('Record an event a user did', TrackMessage) },
      '/identify': { post: ingest("Record who a user is; traits merge into the user's profile", IdentifyMessage) },
      '/batch': {
        post: {
          ...ingest(
            'Up to 500 track/identify messages; valid ones are stored even if others are rejected',
            BatchRequest,
          ),
          responses: {
            '200': json(z.object({ success: z.literal(true), accepted: z.number() }), 'All stored'),
            ...ingestErrors,
            '400': json(
              z.object({
                success: z.literal(false),
                accepted: z.number(),
                rejected: z.array(
                  z.object({ index: z.number(), messageId: z.string().optional(), reason: z.string() }),
                ),
              }),
              'Some or all messages were invalid; the valid ones were stored',
            ),
          },
        },
      },
      '/import': {
        post: {
          summary: 'Back-fill: NDJSON of track/identify messages, streamed',
          tags: ['Ingestion'],
          security: [{ writeKeyBasic: [] }, { bearer: [] }],
          requestBody: { content: { 'application/x-ndjson': { schema: z.string() } } },
          responses: {
            '200': json(
              z.object({
                success: z.boolean(),
                accepted: z.number(),
                rejected: z.number(),
                errors: z.array(z.object({ line: z.number(), reason: z.string() })),
              }),
              'Counts, and the first 20 reasons for rejected lines',
            ),
            ...ingestErrors,
          },
        },
      },
      '/profiles/{userId}': {
        get: admin('A user profile (merged identify traits)', {
          tags: ['Profiles'],
          requestParams: { path: z.object({ userId: z.string() }) },
          responses: {
            '200': json(z.object({ userId: z.string(), traits: z.record(z.string(), z.unknown()) }), 'The profile'),
            '404': error('Unknown user'),
          },
        }),
      },
      '/consent/settings': {
        get: admin('The workspace’s consent categories and the one actions need by default', {
          tags: ['Privacy'],
          responses: { '200': json(ConsentSettingsRequest, 'Settings') },
        }),
        put: admin('Set the consent categories and the default an action needs when it names none', {
          tags: ['Privacy'],
          requestBody: { content: { 'application/json': { schema: ConsentSettingsRequest } } },
          responses: { '200': json(ConsentSettingsRequest, 'Saved'), '400': error('Invalid, with reasons') },
        }),
      },
      '/tracking-plan': {
        get: admin('The workspace’s tracking plan, exported as JSON Schema (one schema per event under $defs)', {
          tags: ['Tracking plan'],
          responses: { '200': json(TrackingPlanPayload, 'The plan (empty $defs: no plan)') },
        }),
        put: admin(
          'Import the tracking plan (JSON Schema: type, enum, required, additionalProperties per event) and the mode ingestion applies it in',
          {
            tags: ['Tracking plan'],
            requestBody: { content: { 'application/json': { schema: TrackingPlanRequest } } },
            responses: { '200': json(TrackingPlanPayload, 'Saved'), '400': error('Invalid, with a reason per part') },
          },
        ),
      },
      '/users/{userId}/consent': {
        get: admin('A user’s consent per category', {
          tags: ['Privacy'],
          requestParams: { path: z.object({ userId: z.string() }) },
          responses: { '200': json(ConsentPreferencesRequest, 'Consent') },
        }),
        put: admin('Grant or withdraw consent per category (merged, newest wins)', {
          tags: ['Privacy'],
          requestParams: { path: z.object({ userId: z.string() }) },
          requestBody: { content: { 'application/json': { schema: ConsentPreferencesRequest } } },
          responses: {
            '200': json(ConsentPreferencesRequest, 'Consent'),
            '400': error('Invalid, with reasons'),
            '409': error('The user was deleted and is suppressed'),
          },
        }),
      },
      '/users/{userId}': {
        delete: admin(
          'Delete everything about a user (profile, consent, state, waits, queued actions, runs) in one transaction, and suppress the id',
          {
            tags: ['Privacy'],
            requestParams: { path: z.object({ userId: z.string() }) },
            responses: {
              '200': json(
                z.object({
                  deleted: z.boolean(),
                  suppressed: z.boolean(),
                  id: z.uuid(),
                  deletedAt: z.string(),
                  requestedBy: z.string(),
                  counts: z.record(z.string(), z.number()),
                }),
                'What was deleted (counts only)',
              ),
              '400': error('Not a user id'),
            },
          },
        ),
      },
      '/users/{userId}/suppression': {
        delete: admin('Lift a deleted user’s suppression: their events are accepted again', {
          tags: ['Privacy'],
          requestParams: { path: z.object({ userId: z.string() }) },
          responses: { '200': json(z.object({ lifted: z.boolean() }), 'Lifted'), '404': error('Not suppressed') },
        }),
      },
      '/user-deletions': {
        get: admin('The latest 100 deletions: who asked, when, counts (no user ids)', {
          tags: ['Privacy'],
          responses: { '200': json(z.object({ data: z.array(z.unknown()) }), 'Deletions') },
        }),
      },
      '/api-keys': {
        get: admin('List API keys (prefix, scope, last use)', {
          tags: ['API keys'],
          responses: { '200': json(z.object({ data: z.array(z.unknown()) }), 'Keys') },
        }),
        post: admin('Create an API key; the key is in this response only', {
          tags: ['API keys'],
          requestBody: { content: { 'application/json': { schema: CreateApiKeyRequest } } },
          responses: {
            '201': json(z.object({ id: z.uuid(), key: z.string(), prefix: z.string(), scope: z.string() }), 'Created'),
            '400': error('Invalid'),
          },
        }),
      },
      '/api-keys/{id}': {
        delete: admin('Revoke an API key', {
          tags: ['API keys'],
          requestParams: idParam,
          responses: { '200': json(z.unknown(), 'Revoked'), '404': error('No such live key') },
        }),
      },
      '/endpoints': {
        get: admin('Endpoints actions call whose circuit breaker has opened: state, resume time, deliveries waiting', {
          tags: ['Dead letters'],
          responses: { '200': json(z.object({ data: z.array(z.unknown()) }), 'Endpoints') },
        }),
      },
      '/dead-letters': {
        get: admin('Actions that failed for good, newest first (secret fields redacted)', {
          tags: ['Dead letters'],
          requestParams: { query: DeadLetterQuery },
          responses: {
            '200': json(z.object({ data: z.array(z.unknown()) }), 'Dead letters'),
            '400': error('Invalid query'),
          },
        }),
      },
      '/dead-letters/{id}/replay': {
        post: admin('Send a dead letter again as a new delivery', {
          tags: ['Dead letters'],
          requestParams: idParam,
          responses: {
            '202': json(z.object({ jobId: z.string().optional() }), 'Queued again'),
            '404': error('No such dead letter'),
            '409': error('`already_replayed` or `discarded`'),
          },
        }),
      },
      '/dead-letters/{id}/discard': {
        post: admin('Discard a dead letter (kept for the audit, never sent)', {
          tags: ['Dead letters'],
          requestParams: idParam,
          responses: {
            '204': { description: 'Discarded' },
            '404': error('No such dead letter'),
            '409': error('`already_replayed` or `discarded`'),
          },
        }),
      },
      '/workflows': {
        get: admin('List workflows with status', {
          tags: ['Workflows'],
          responses: { '200': json(z.object({ data: z.array(z.unknown()) }), 'Workflows') },
        }),
        post: admin('Create a workflow from a document', {
          tags: ['Workflows'],
          requestBody: { content: { 'application/json': { schema: Document } } },
          responses: {
            '201': json(z.object({ id: z.uuid(), validation: z.array(ValidationError) }), 'Created'),
            '400': error('Not a document'),
            '403': workflowQuota,
          },
        }),
      },
      '/workflows/{id}': {
        get: admin('The workflow and its draft document', {
          tags: ['Workflows'],
          requestParams: idParam,
          responses: { '200': json(z.unknown(), 'Workflow'), '404': error('Unknown') },
        }),
        put: admin('Replace the draft', {
          tags: ['Workflows'],
          requestParams: idParam,
          requestBody: { content: { 'application/json': { schema: Document } } },
          responses: {
            '200': json(z.object({ id: z.uuid(), validation: z.array(ValidationError) }), 'Saved'),
            '404': error('Unknown'),
          },
        }),
        delete: admin('Delete the workflow and its versions', {
          tags: ['Workflows'],
          requestParams: idParam,
          responses: { '204': { description: 'Deleted' }, '404': error('Unknown') },
        }),
      },
      '/workflows/{id}/publish': {
        post: admin('Validate, compile and publish the draft as a new version', {
          tags: ['Workflows'],
          requestParams: idParam,
          responses: {
            '200': json(z.object({ version: z.number() }), 'Published; engines reload at once'),
            '403': workflowQuota,
            '422': json(
              z.object({
                error: z.object({
                  code: z.literal('invalid_workflow'),
                  message: z.string(),
                  details: z.array(ValidationError),
                }),
              }),
              'Validation errors',
            ),
          },
        }),
      },
      '/workflows/{id}/unpublish': {
        post: admin('Stop running the workflow', {
          tags: ['Workflows'],
          requestParams: idParam,
          responses: { '200': json(z.unknown(), 'Unpublished') },
        }),
      },
      '/workflows/{id}/versions': {
        get: admin('Published versions, newest first', {
          tags: ['Workflows'],
          requestParams: idParam,
          responses: { '200': json(z.unknown(), 'Versions') },
        }),
      },
      '/workflows/{id}/explain': {
        get: admin("Why (not)? One user's kept events replayed through the version live at each event's time", {
          tags: ['Workflows'],
          requestParams: { ...idParam, query: ExplainQuery },
          responses: {
            '200': json(Explanation, 'Each event with its reasons, the runs found, and any difference from the engine'),
            '400': error('Invalid query, `bad_range`, or `out_of_retention` (before the history kept)'),
            '404': error('`not_found` (no such workflow) or `unknown_user` (no events kept for that user)'),
            '422': error('`too_many_events`: more than 10,000 events in the range; choose a shorter one'),
          },
        }),
      },
      '/workflows/{id}/backtests': {
        post: admin('Backtest the draft (or the document given) against the live version over kept history', {
          tags: ['Backtests'],
          requestParams: idParam,
          requestBody: { content: { 'application/json': { schema: BacktestRequest } } },
          responses: {
            '202': json(
              z.object({ id: z.uuid(), status: z.literal('queued'), links: z.object({ self: z.string() }) }),
              'Queued; poll the link',
            ),
            '400': error('Invalid body, `bad_range`, or `out_of_retention`'),
            '404': error('`not_found`: no such workflow'),
            '422': error('`invalid_draft` (validation errors in details) or `no_history` (no events in the range)'),
            '429': error('`busy`: this workspace already has a backtest queued or running'),
          },
        }),
      },
      '/backtests/{id}': {
        get: admin('A backtest: status, progress, and when done the counts per node for the draft and live', {
          tags: ['Backtests'],
          requestParams: idParam,
          responses: { '200': json(Backtest, 'The backtest'), '404': error('No such backtest') },
        }),
      },
      '/backtests/{id}/cancel': {
        post: admin('Cancel a queued or running backtest', {
          tags: ['Backtests'],
          requestParams: idParam,
          responses: {
            '200': json(z.object({ status: z.literal('cancelled') }), 'Cancelled'),
            '404': error('No such backtest'),
            '409': error('`not_running`: the backtest is not queued or running'),
          },
        }),
      },
      '/workflows/{id}/rollback': {
        post: admin('Make an earlier version active again (and the draft)', {
          tags: ['Workflows'],
          requestParams: idParam,
          requestBody: { content: { 'application/json': { schema: RollbackRequest } } },
          responses: {
            '200': json(z.object({ activeVersion: z.number() }), 'Rolled back'),
            '403': workflowQuota,
            '404': error('Unknown version'),
          },
        }),
      },
    },
  });
  return cached;
}
