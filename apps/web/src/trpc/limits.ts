/**
 * Calls per tRPC batch request, shared by the server (which refuses bigger batches) and the browser
 * client (which splits its batches to fit). Every call holds one of the web process's 10 pooled
 * Postgres connections while it runs, so one request never takes the whole pool.
 */
export const TRPC_MAX_BATCH = 8;
