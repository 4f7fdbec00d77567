import type { LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { Agent, fetch as undiciFetch } from 'undici';
import { isPublicAddress, type LookupAll, UnsafeUrlError } from './public-address.js';

export interface PinnedFetchOptions {
  /** Which addresses count as public; tests let loopback stand in for the internet. */
  isPublic?: (address: string) => boolean;
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * The `lookup` net.connect/tls.connect call while opening a socket. Checking here, not before
 * the fetch, is what closes the DNS-rebinding window: the address checked is the one connected to.
 * Any private answer refuses the whole name, as assertPublicUrl does.
 */
function pinnedLookup(lookup: LookupAll, isPublic: (address: string) => boolean) {
  return (
    hostname: string,
    options: { family?: number | string; all?: boolean },
    callback: LookupCallback,
  ): void => {
    lookup(hostname, { all: true }).then(
      (addresses) => {
        const bad = addresses.find((a) => !isPublic(a.address));
        if (bad) {
          callback(
            new UnsafeUrlError(
              `${hostname} resolves to ${bad.address}, which is not a public address`,
            ),
            '',
          );
          return;
        }
        const family =
          options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
        const usable = family ? addresses.filter((a) => a.family === family) : addresses;
        const first = usable[0];
        if (!first) {
          const err = Object.assign(new Error(`${hostname} resolves to no usable address`), {
            code: 'ENOTFOUND',
          });
          callback(err, '');
        } else if (options.all) callback(null, usable);
        else callback(null, first.address, first.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, ''),
    );
  };
}

/**
 * A fetch for URLs from chat: every connection it opens goes only to an address that passed the
 * public-address check at connect time (IP literals are checked here, since net skips the lookup
 * for them). Refusals surface as a rejected fetch whose `cause` is an UnsafeUrlError.
 */
export function createPinnedFetch(
  lookup: LookupAll,
  options: PinnedFetchOptions = {},
): typeof globalThis.fetch {
  const isPublic = options.isPublic ?? isPublicAddress;
  const agent = new Agent({ connect: { lookup: pinnedLookup(lookup, isPublic) } });
  const pinned = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    // A Request would carry its own method and headers, which this wrapper would have to copy.
    if (input instanceof Request) throw new TypeError('pinned fetch takes a URL, not a Request');
    const url = new URL(input);
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (isIP(host) && !isPublic(host)) {
      throw new TypeError('fetch failed', {
        cause: new UnsafeUrlError(`${url.hostname} is not a public address`),
      });
    }
    // undici's own fetch, so the dispatcher is surely honoured; its Response has the same shape.
    const res = await undiciFetch(url, {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher: agent,
    });
    return res as unknown as Response;
  };
  return pinned as typeof globalThis.fetch;
}
