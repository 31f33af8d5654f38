import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Loading, SecretOnce, SelectField, useConfirm } from '@tripwire/ui';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { can, type Role, useMe, useWorkspaceChanged } from '../../lib/me';
import { errorMessage, useTRPC } from '../../lib/trpc';

export function meta() {
  return [{ title: 'Members · Tripwire' }];
}

const ROLES: { value: Role; label: string }[] = [
  { value: 'viewer', label: 'Viewer — sees workflows and runs' },
  { value: 'editor', label: 'Editor — edits and publishes workflows' },
  { value: 'admin', label: 'Admin — also members and keys' },
  { value: 'owner', label: 'Owner — also deletes the workspace' },
];

export default function Members() {
  const me = useMe();
  const trpc = useTRPC();
  const [confirmDialog, ask] = useConfirm();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const workspaceChanged = useWorkspaceChanged();
  const admin = can(me, 'admin');
  const owner = can(me, 'owner');
  const data = useQuery(trpc.members.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.members.pathKey() });
  const [inviteRole, setInviteRole] = useState<Role>('editor');
  const [link, setLink] = useState<string | null>(null);
  const invite = useMutation(
    trpc.members.invite.mutationOptions({
      onSuccess: (r) => {
        setLink(r.url);
        refresh();
      },
    }),
  );
  const changeRole = useMutation(trpc.members.changeRole.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.members.remove.mutationOptions({ onSuccess: refresh }));
  const revoke = useMutation(trpc.members.revokeInvitation.mutationOptions({ onSuccess: refresh }));
  const leave = useMutation(
    trpc.members.leave.mutationOptions({
      onSuccess: async () => {
        await workspaceChanged();
        navigate('/app');
      },
    }),
  );
  const failure = changeRole.error ?? remove.error ?? leave.error ?? invite.error;

  return (
    <>
      {confirmDialog}
      <h1>Members</h1>
      {failure ? <Alert>{errorMessage(failure)}</Alert> : null}
      {admin ? (
        <Card title="Invite someone">
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              invite.mutate({ role: inviteRole });
            }}
          >
            <SelectField
              label="Role"
              value={inviteRole}
              onChange={(e) => setInviteRole(e.target.value as Role)}
              options={ROLES.filter((r) => owner || r.value !== 'owner')}
            />
            <Button type="submit" variant="primary" busy={invite.isPending}>
              Create invitation link
            </Button>
          </form>
          {link ? <SecretOnce label="Invitation link (valid 7 days)" value={link} /> : null}
        </Card>
      ) : null}
      <Card title="People">
        {data.isPending ? <Loading /> : null}
        {data.data ? (
          <table className="table" aria-label="Members">
            <thead>
              <tr>
                <th>Name</th>
                <th>Email</th>
                <th>Role</th>
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {data.data.members.map((m) => {
                const self = m.userId === me.user.id;
                const editable = admin && !self && (owner || m.role !== 'owner');
                return (
                  <tr key={m.userId}>
                    <td>{m.name ?? '—'}</td>
                    <td>{m.email}</td>
                    <td>
                      {editable ? (
                        <select
                          aria-label={`Role of ${m.email}`}
                          value={m.role}
                          onChange={(e) => changeRole.mutate({ userId: m.userId, role: e.target.value as Role })}
                        >
                          {ROLES.filter((r) => owner || r.value !== 'owner').map((r) => (
                            <option key={r.value} value={r.value}>
                              {r.value}
                            </option>
                          ))}
                        </select>
                      ) : (
                        m.role
                      )}
                    </td>
                    <td className="right">
                      {editable ? (
                        <Button
                          variant="danger"
                          onClick={async () =>
                            (await ask({
                              title: `Remove ${m.email}?`,
                              body: 'They lose access to this workspace at once.',
                              confirmLabel: 'Remove',
                              tone: 'danger',
                            })) && remove.mutate({ userId: m.userId })
                          }
                        >
                          Remove
                        </Button>
                      ) : null}
                      {self ? (
                        <Button
                          variant="danger"
                          onClick={async () =>
                            (await ask({
                              title: 'Leave this workspace?',
                              body: 'You lose access until someone invites you again.',
                              confirmLabel: 'Leave',
                              tone: 'danger',
                            })) && leave.mutate()
                          }
                        >
                          Leave
                        </Button>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        ) : null}
      </Card>
      {admin && data.data && data.data.invitations.length > 0 ? (
        <Card title="Pending invitations">
          <ul className="plain">
            {data.data.invitations.map((i) => (
              <li key={i.id}>
                {i.role}, expires {new Date(i.expiresAt).toLocaleString()}{' '}
                <Button variant="ghost" onClick={() => revoke.mutate({ id: i.id })}>
                  Revoke
                </Button>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
    </>
  );
}
