import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { Agent } from 'undici';
import type { AddressPolicy, Refusal } from './address-policy.ts';

/** The error a refused connection fails with (the webhook executor's says whether to retry). */
export type RefusalError = (reason: Refusal, message: string) => Error;

/** A refused connection as an error that carries the refusal, for callers with no error types of their own. */
export class AddressRefusedError extends Error {
  readonly reason: Refusal;
  constructor(reason: Refusal, message: string) {
    super(message);
    this.name = 'AddressRefusedError';
    this.reason = reason;
  }
}

const defaultRefusal: RefusalError = (reason, message) => new AddressRefusedError(reason, message);

/**
 * An undici Agent whose sockets can only reach addresses the policy accepts. Checking a URL and then
 * letting the connection resolve the name again would leave a gap (DNS rebinding: public answer for the
 * check, 127.0.0.1 for the connect). Here the resolution the socket connects to is the one just vetted,
 * because the vetting happens inside the socket's own lookup. TLS SNI and Host still use the hostname,
 * since undici passes the URL's hostname to tls.connect and only the address lookup is replaced.
 *
 * IP-literal URLs never reach the hook (node:net skips lookup for them); they cannot rebind, and the
 * executor checks every hop's URL with the same policy before sending.
 */
export function createPinnedDispatcher(policy: AddressPolicy, refusal: RefusalError = defaultRefusal): Agent {
  return new Agent({ connect: { lookup: pinnedLookup(policy, refusal) } });
}

export function pinnedLookup(policy: AddressPolicy, refusalError: RefusalError = defaultRefusal): LookupFunction {
  return (hostname, options, callback) => {
    policy.resolve(hostname).then(
      (resolution) => {
        if (!resolution.ok) return callback(refusalError(resolution.reason, resolution.message), '');
        const wanted = options.family === 4 || options.family === 6 ? options.family : undefined;
        const addresses: LookupAddress[] = resolution.addresses.filter((a) => !wanted || a.family === wanted);
        const [first] = addresses;
        if (!first) return callback(refusalError('dns_failure', `${hostname} has no IPv${wanted} address`), '');
        if (options.all) return callback(null, addresses);
        return callback(null, first.address, first.family);
      },
      (error: unknown) => callback(error as NodeJS.ErrnoException, ''),
    );
  };
}
