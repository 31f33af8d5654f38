import { Page } from '@tripwire/ui';
import { data, Link } from 'react-router';

export function loader() {
  return data(null, { status: 404 });
}

export function meta() {
  return [{ title: 'Not found · Tripwire' }];
}

export default function NotFound() {
  return (
    <Page title="Page not found" lede="There is nothing at this address.">
      <Link to="/">Back to Tripwire</Link>
    </Page>
  );
}
