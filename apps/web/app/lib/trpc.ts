import { QueryClient } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import superjson from 'superjson';
import { TRPC_MAX_BATCH } from '../../src/trpc/limits.ts';
import type { AppRouter } from '../../src/trpc/router.ts';

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

export function makeQueryClient() {
  return new QueryClient({ defaultOptions: { queries: { staleTime: 5_000, retry: 1 } } });
}

export function makeTrpcClient() {
  return createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: '/trpc', transformer: superjson, maxItems: TRPC_MAX_BATCH })],
  });
}

/** The message to show for a failed call: the server's readable message, never a stack. */
export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) return error.message;
  return 'Something went wrong. Please try again.';
}

/** Per-field messages from the server's zod validation, for forms. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (error instanceof TRPCClientError)
    return (error.data as { fieldErrors?: Record<string, string> } | undefined)?.fieldErrors ?? {};
  return {};
}
