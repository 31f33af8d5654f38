import { useMutation } from '@tanstack/react-query';
import { Alert, Button, TextField } from '@tripwire/ui';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { AuthShell } from '../components/auth-shell';
import { errorMessage, useTRPC } from '../lib/trpc';

export function meta() {
  return [{ title: 'Sign in · Tripwire' }];
}

export default function SignIn() {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = params.get('next') ?? '/app';
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useMutation(
    trpc.auth.signIn.mutationOptions({ onSuccess: () => navigate(next.startsWith('/') ? next : '/app') }),
  );

  function submit(e: FormEvent) {
    e.preventDefault();
    signIn.mutate({ email, password });
  }

  return (
    <AuthShell
      title="Sign in"
      footer={
        <>
          New to Tripwire?{' '}
          <Link to={`/sign-up${next !== '/app' ? `?next=${encodeURIComponent(next)}` : ''}`}>Create a workspace</Link>
        </>
      }
    >
      <form onSubmit={submit} noValidate>
        {signIn.error ? <Alert>{errorMessage(signIn.error)}</Alert> : null}
        <TextField
          label="Email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <TextField
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <Button type="submit" variant="primary" busy={signIn.isPending}>
          Sign in
        </Button>
      </form>
    </AuthShell>
  );
}
