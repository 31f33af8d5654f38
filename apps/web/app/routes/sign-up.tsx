import { useMutation } from '@tanstack/react-query';
import { Alert, Button, TextField } from '@tripwire/ui';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { AuthShell } from '../components/auth-shell';
import { errorMessage, fieldErrors, useTRPC } from '../lib/trpc';

export function meta() {
  return [{ title: 'Create your workspace · Tripwire' }];
}

export default function SignUp() {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = params.get('next') ?? '/app';
  const [form, setForm] = useState({ name: '', email: '', workspace: '', password: '' });
  const signUp = useMutation(trpc.auth.signUp.mutationOptions({ onSuccess: () => navigate(next) }));
  const errors = fieldErrors(signUp.error);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [key]: e.target.value });

  function submit(e: FormEvent) {
    e.preventDefault();
    signUp.mutate(form);
  }

  return (
    <AuthShell
      title="Create your workspace"
      footer={
        <>
          Already have an account?{' '}
          <Link to={`/sign-in${next !== '/app' ? `?next=${encodeURIComponent(next)}` : ''}`}>Sign in</Link>
        </>
      }
    >
      <form onSubmit={submit} noValidate>
        {signUp.error && Object.keys(errors).length === 0 ? <Alert>{errorMessage(signUp.error)}</Alert> : null}
        <TextField label="Your name" autoComplete="name" value={form.name} onChange={set('name')} error={errors.name} />
        <TextField
          label="Email"
          type="email"
          autoComplete="email"
          required
          value={form.email}
          onChange={set('email')}
          error={errors.email}
        />
        <TextField
          label="Workspace name"
          required
          value={form.workspace}
          onChange={set('workspace')}
          error={errors.workspace}
          hint="Usually your company or team"
        />
        <TextField
          label="Password"
          type="password"
          autoComplete="new-password"
          required
          value={form.password}
          onChange={set('password')}
          error={errors.password}
          hint="At least 10 characters; avoid common passwords"
        />
        <Button type="submit" variant="primary" busy={signUp.isPending}>
          Create workspace
        </Button>
      </form>
    </AuthShell>
  );
}
