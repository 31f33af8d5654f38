import { useMutation } from '@tanstack/react-query';
import { Alert, Button } from '@tripwire/ui';
import { Link, useNavigate } from 'react-router';
import { AuthShell } from '../components/auth-shell';
import { errorMessage, useTRPC } from '../lib/trpc';
import type { Route } from './+types/invite';

export async function loader({ params, context, request }: Route.LoaderArgs) {
  const caller = await context.caller(request);
  const [invitation, me] = await Promise.all([
    caller.members.lookupInvitation({ token: params.token }),
    caller.auth.me(),
  ]);
  return { invitation, signedIn: me ? me.user.email : null };
}

export function meta() {
  return [{ title: 'Join a workspace · Tripwire' }];
}

export default function Invite({ loaderData, params }: Route.ComponentProps) {
  const { invitation, signedIn } = loaderData;
  const trpc = useTRPC();
  const navigate = useNavigate();
  const accept = useMutation(trpc.members.acceptInvitation.mutationOptions({ onSuccess: () => navigate('/app') }));
  const here = `/invite/${params.token}`;

  if (!invitation?.usable) {
    return (
      <AuthShell title="This invitation cannot be used" footer={<Link to="/app">Go to Tripwire</Link>}>
        <p>The link has expired, was revoked, or was already used. Ask for a new one.</p>
      </AuthShell>
    );
  }
  return (
    <AuthShell title={`Join ${invitation.tenantName}`} footer={<Link to="/">About Tripwire</Link>}>
      <p>
        You were invited as <strong>{invitation.role}</strong>.
      </p>
      {accept.error ? <Alert>{errorMessage(accept.error)}</Alert> : null}
      {signedIn ? (
        <>
          <p className="muted">Signed in as {signedIn}.</p>
          <Button variant="primary" busy={accept.isPending} onClick={() => accept.mutate({ token: params.token })}>
            Accept invitation
          </Button>
        </>
      ) : (
        <p>
          <Link className="tw-button tw-button--primary" to={`/sign-up?next=${encodeURIComponent(here)}`}>
            Create an account
          </Link>{' '}
          or <Link to={`/sign-in?next=${encodeURIComponent(here)}`}>sign in</Link> to accept.
        </p>
      )}
    </AuthShell>
  );
}
