import { Page } from '@tripwire/ui';
import { Fragment } from 'react';
import { Link, redirect } from 'react-router';
import type { Route } from './+types/home';

export async function loader({ context, request }: Route.LoaderArgs) {
  const me = await (await context.caller(request)).auth.me();
  if (me) throw redirect('/app');
  return null;
}

export function meta(_: Route.MetaArgs) {
  return [
    { title: 'Tripwire' },
    { name: 'description', content: 'Draw trigger flows; Tripwire runs them on every event.' },
  ];
}

const STEPS = ['Source', 'Condition', 'Wait', 'Action'];

export default function Home() {
  return (
    <Page
      title="Tripwire"
      lede={
        <>
          Draw a trigger flow once and Tripwire runs it for every user on every event: when something happens, check a
          condition, wait if you need to, then act.
        </>
      }
    >
      <section className="flow" aria-label="How a flow runs">
        {STEPS.map((step, i) => (
          <Fragment key={step}>
            {i > 0 ? <i aria-hidden="true">→</i> : null}
            <span>{step}</span>
          </Fragment>
        ))}
      </section>
      <p className="actions">
        <Link className="tw-button tw-button--primary" to="/sign-up">
          Create a workspace
        </Link>
        <Link className="tw-button" to="/sign-in">
          Sign in
        </Link>
      </p>
    </Page>
  );
}
