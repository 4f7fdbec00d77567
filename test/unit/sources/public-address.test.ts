import { lookup as dnsLookup } from 'node:dns/promises';
import { describe, expect, it } from 'vitest';
import {
  assertPublicUrl,
  isPublicAddress,
  type LookupAll,
  UnsafeUrlError,
} from '../../../src/sources/public-address.js';
import { fakeLookup } from './helpers.js';

describe('isPublicAddress', () => {
  it.each([
    ['8.8.8.8', true],
    ['1.1.1.1', true],
    ['172.32.0.1', true],
    ['100.128.0.1', true],
    ['127.0.0.1', false],
    ['127.255.255.254', false],
    ['10.1.2.3', false],
    ['172.16.0.1', false],
    ['172.31.255.255', false],
    ['192.168.1.1', false],
    ['100.64.0.1', false],
    ['169.254.169.254', false],
    ['0.0.0.0', false],
    ['192.0.2.10', false],
    ['198.18.0.1', false],
    ['224.0.0.1', false],
    ['255.255.255.255', false],
    ['2606:4700:4700::1111', true],
    ['2001:4860:4860::8888', true],
    ['::1', false],
    ['::', false],
    ['fe80::1', false],
    ['fc00::1', false],
    ['fd12:3456:789a::1', false],
    ['ff02::1', false],
    ['2001:db8::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:7f00:1', false],
    ['::ffff:a9fe:a9fe', false],
    ['::ffff:8.8.8.8', true],
    ['64:ff9b::a00:1', false],
    ['2002:c0a8:101::1', false],
    ['2002:808:808::1', true],
    ['fe80::1%eth0', false],
    ['not-an-ip', false],
    // IPv4-mapped IPv6
    ['::ffff:10.0.0.1', false],
    ['::ffff:100.64.0.1', false],
    ['::ffff:169.254.169.254', false],
    ['::ffff:0.0.0.0', false],
    ['::ffff:224.0.0.1', false],
    // 6to4 carrying a private, metadata or public IPv4
    ['2002:a00:1::1', false],
    ['2002:a9fe:a9fe::', false],
    ['2002:101:101::1', true],
    // NAT64 64:ff9b::/96, hex and dotted, private and public; the local-use /48 is not public
    ['64:ff9b::10.0.0.1', false],
    ['64:ff9b::192.168.0.1', false],
    ['64:ff9b::7f00:1', false],
    ['64:ff9b::a9fe:a9fe', false],
    ['64:ff9b::8.8.8.8', true],
    ['64:ff9b:1::a00:1', false],
    // CGNAT 100.64.0.0/10, both ends
    ['100.64.0.0', false],
    ['100.127.255.255', false],
    ['100.63.255.255', true],
    // "this network", multicast, the metadata service, unique local, loopback
    ['0.1.2.3', false],
    ['239.255.255.250', false],
    ['ff0e::1', false],
    ['169.254.169.254', false],
    ['fd00::1', false],
    ['fd00::', false],
    ['::1', false],
    ['0:0:0:0:0:0:0:1', false],
    ['::127.0.0.1', false],
    ['2001::1', false],
    // Non-standard IPv4 spellings are not IP literals here (URL parsing normalises them first)
    ['0x7f.1', false],
    ['2130706433', false],
  ])('%s -> %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});

describe('assertPublicUrl', () => {
  const lookup = fakeLookup({
    'status.example.com': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
    localhost: ['127.0.0.1', '::1'],
    'metadata.internal': ['169.254.169.254'],
    'mixed.example.com': ['93.184.216.34', '10.0.0.5'],
    'empty.example.com': [],
  });

  it('accepts a host that resolves only to public addresses', async () => {
    const url = await assertPublicUrl('https://status.example.com/api/v2/summary.json', lookup);
    expect(url.hostname).toBe('status.example.com');
  });

  it.each([
    ['file:///etc/passwd', /only http and https/],
    ['ftp://status.example.com/', /only http and https/],
    ['not a url', /not a valid URL/],
    ['http://127.0.0.1:8080/', /not a public address/],
    ['http://2130706433/', /not a public address/],
    ['http://0x7f.1/', /not a public address/],
    ['http://[::1]/', /not a public address/],
    ['http://[::ffff:127.0.0.1]/', /not a public address/],
    ['http://169.254.169.254/latest/meta-data/', /not a public address/],
    ['http://localhost:3000/', /resolves to 127\.0\.0\.1/],
    ['http://metadata.internal/', /resolves to 169\.254\.169\.254/],
    ['http://mixed.example.com/', /resolves to 10\.0\.0\.5/],
    ['http://empty.example.com/', /no address/],
    ['http://nowhere.example.com/', /cannot resolve nowhere\.example\.com/],
  ])('refuses %s', async (url, message) => {
    const attempt = assertPublicUrl(url, lookup);
    await expect(attempt).rejects.toBeInstanceOf(UnsafeUrlError);
    await expect(attempt).rejects.toThrow(message);
  });

  it('never resolves an IP literal', async () => {
    let calls = 0;
    const counting: LookupAll = async (host, options) => {
      calls++;
      return lookup(host, options);
    };
    await expect(assertPublicUrl('http://10.0.0.1/', counting)).rejects.toThrow(UnsafeUrlError);
    await expect(assertPublicUrl('https://8.8.8.8/', counting)).resolves.toBeInstanceOf(URL);
    expect(calls).toBe(0);
  });

  it('accepts node:dns lookup as the resolver', async () => {
    await expect(assertPublicUrl('http://localhost/', dnsLookup)).rejects.toThrow(
      /not a public address/,
    );
  });
});
