import { useQueryClient } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { useOutletContext, useRevalidator } from 'react-router';
import type { AppRouter } from '../../src/trpc/router.ts';

export type Me = NonNullable<inferRouterOutputs<AppRouter>['auth']['me']>;
export type Role = 'owner' | 'admin' | 'editor' | 'viewer';
const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2, owner: 3 };

/** The signed-in user and current workspace, from the app layout's loader. */
export function useMe(): Me {
  return useOutletContext<Me>();
}

/** Whether the current role may do something needing `min`; the server checks again regardless. */
export function can(me: Me, min: Role): boolean {
  return me.current ? RANK[me.current.role] >= RANK[min] : false;
}

/** After the current workspace changed: drop every cached query (they belonged to the old one) and reload. */
export function useWorkspaceChanged() {
  const queryClient = useQueryClient();
  const { revalidate } = useRevalidator();
  return async () => {
    queryClient.clear();
    await revalidate();
  };
}
