// A real HTTP proxy for tests: the npm `proxy` package (plain requests in absolute-form, https through CONNECT) on
// 127.0.0.1. The first stdout line is "READY <port>"; each request then prints one line, "CONNECT <host:port>" or
// "<METHOD> <absolute-url>", followed by "AUTH ok" or "AUTH missing" / "AUTH wrong" when credentials are required.
//
// Usage: node http-proxy.mjs [user:password]. With credentials, requests without a matching Basic
// Proxy-Authorization header get 407.
//
// Like a corporate proxy that resolves internal names its clients cannot, it resolves every name under the reserved
// .test domain (RFC 2606) to 127.0.0.1: a test can then reach its loopback server through the proxy under a name that
// is not loopback to the client (loopback URLs never go through a proxy).
import dns from 'node:dns';
import http from 'node:http';
import { createProxy } from 'proxy';

const resolve = dns.lookup;
dns.lookup = (hostname, options, callback) => {
  if (typeof options === 'function') [options, callback] = [{}, options];
  if (!hostname.endsWith('.test')) return resolve(hostname, options, callback);
  if (options?.all) return process.nextTick(callback, null, [{ address: '127.0.0.1', family: 4 }]);
  return process.nextTick(callback, null, '127.0.0.1', 4);
};

const required = process.argv[2];
const server = createProxy(http.createServer());

server.on('connect', (req) => console.log(`CONNECT ${req.url}`));
server.on('request', (req) => console.log(`${req.method} ${req.url}`));

if (required !== undefined) {
  server.authenticate = (req) => {
    const header = req.headers['proxy-authorization'];
    if (header === undefined) {
      console.log('AUTH missing');
      return false;
    }
    const [scheme, encoded] = header.split(' ');
    const ok = scheme === 'Basic' && Buffer.from(encoded ?? '', 'base64').toString('utf8') === required;
    console.log(ok ? 'AUTH ok' : 'AUTH wrong');
    return ok;
  };
}

server.listen(0, '127.0.0.1', () => console.log(`READY ${server.address().port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
