import { workflowDocumentSchema } from '@tripwire/rules';
import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject } from 'zod-openapi';
import { BatchRequest, IdentifyMessage, TrackMessage } from '../../ingest/messages.ts';
import { ConsentPreferencesRequest, ConsentSettingsRequest } from '../../services/consent.ts';
import { TrackingPlanRequest } from '../../services/tracking-plan.ts';
import { CreateApiKeyRequest } from './admin-routes.ts';
import { RollbackRequest } from './workflow-routes.ts';

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
