// A real OpenID provider for tests: oauth2-mock-server's authorization, token and JWKS endpoints, signing RS256
// id tokens with a fresh key, on 127.0.0.1. The first stdout line is "READY <base URL> <issuer> <listening port>"; each authorization and token
// request then prints one line ("AUTHORIZE", "TOKEN <grant_type>") so tests can count them.
//
// Usage: [OIDC_PUBLIC_URL=https://host:port] node oidc-provider.mjs [mode] [layout]. Modes make the provider misbehave in one way, as a broken or hostile
// IdP would: authorize-error, wrong-state, token-400, token-500, token-not-json, id-token-expired, id-token-garbled,
// id-token-bad-signature, nonce-mismatch, wrong-audience, refresh-invalid-grant, refresh-500, refresh-other-subject, short-lived; and
// attribution-claims / attribution-odd-claims add the claims telemetry attribution reads, well-formed or not;
// quota-claims signs in whoever asks with the password grant: the username is the email (none when it has no @),
// "groups" (comma-separated) the groups claim.
// Layouts serve the endpoints under a real provider's paths: generic (root), okta (custom authorization server
// "default"), azure (tenant "tenant-1", v2.0 endpoints).
import http from 'node:http';
import { OAuth2Issuer, OAuth2Service } from 'oauth2-mock-server';

const mode = process.argv[2] ?? 'normal';
const layouts = {
  generic: { prefix: '', endpoints: {} },
  okta: {
    prefix: '/oauth2/default',
    endpoints: { authorize: '/oauth2/default/v1/authorize', token: '/oauth2/default/v1/token', jwks: '/oauth2/default/v1/keys',
      wellKnownDocument: '/oauth2/default/.well-known/openid-configuration' },
  },
  azure: {
    prefix: '/tenant-1/v2.0',
    endpoints: { authorize: '/tenant-1/oauth2/v2.0/authorize', token: '/tenant-1/oauth2/v2.0/token', jwks: '/tenant-1/discovery/v2.0/keys',
      wellKnownDocument: '/tenant-1/v2.0/.well-known/openid-configuration' },
  },
};
const layout = layouts[process.argv[3] ?? 'generic'];
const issuer = new OAuth2Issuer();
await issuer.keys.generate('RS256');
const service = new OAuth2Service(issuer, layout.endpoints);
const refreshTokens = new Set();
let base = '';

// The mock joins endpoint paths to the issuer URL; with an issuer path (Okta, Entra ID) the paths are rooted instead.
service.on('beforeWellKnownOpenIdConfiguration', (response) => {
  for (const [key, value] of Object.entries(response.body)) {
    if (key !== 'issuer' && typeof value === 'string' && value.startsWith(issuer.url)) response.body[key] = base + value.slice(issuer.url.length);
  }
});

service.on('beforeAuthorizeRedirect', (redirect) => {
  console.log('AUTHORIZE');
  if (mode === 'authorize-error') {
    redirect.url.searchParams.delete('code');
    redirect.url.searchParams.set('error', 'access_denied');
    redirect.url.searchParams.set('error_description', 'User is not assigned to the client application.');
  }
  if (mode === 'wrong-state') redirect.url.searchParams.set('state', 'not-the-state-that-was-sent');
});

service.on('beforeTokenSigning', (token, req) => {
  Object.assign(token.payload, { sub: 'alice-0001', email: 'alice@example.com', name: 'Alice Example' });
  if (mode === 'id-token-expired') { token.payload.iat -= 7200; token.payload.nbf -= 7200; token.payload.exp = token.payload.iat + 3600; }
  if (mode === 'short-lived') token.payload.exp = token.payload.iat + 300;
  if (mode === 'refresh-other-subject' && req.body?.grant_type === 'refresh_token') token.payload.sub = 'mallory-0002';
  // Attribution claims as IdPs send them: directory attributes, session tags nested and flat.
  if (mode === 'attribution-claims') Object.assign(token.payload, {
    preferred_username: 'alice.example', department: 'Engineering', team_id: 'platform', costCenter: 'CC-1234',
    manager_email: 'bob@example.com', office_location: 'Berlin', job_title: 'Staff Engineer',
    'https://aws.amazon.com/tags': { principal_tags: { Project: ['nested-project'], Team: ['ignored'] } },
    'https://aws.amazon.com/tags/principal_tags/Project': 'flat-project',
  });
  // Claims of the wrong JSON type or missing altogether: no email, numbers, arrays, objects, null, empty strings.
  if (mode === 'attribution-odd-claims') {
    delete token.payload.email;
    Object.assign(token.payload, {
      preferred_username: 42, mail: 'alice.mail@example.com', department: ['Engineering'], dept: '', division: 'R&D <Labs>',
      team: { id: 'x' }, team_id: null, cost_center: 1234, role: true,
      'https://aws.amazon.com/tags': { principal_tags: { Project: ['nested-only'] } },
      'https://aws.amazon.com/tags/principal_tags/Project': 7,
    });
  }
  if (mode === 'quota-claims' && req.body?.grant_type === 'password') {
    token.payload.sub = req.body.username;
    if (req.body.username.includes('@')) token.payload.email = req.body.username; else delete token.payload.email;
    if (req.body.groups) token.payload.groups = req.body.groups.split(',');
  }
  if (mode === 'nonce-mismatch' && token.payload.nonce !== undefined) token.payload.nonce = 'a-different-nonce';
  if (mode === 'wrong-audience' && token.payload.aud !== undefined) token.payload.aud = 'some-other-client';
});

service.on('beforeResponse', (response, req) => {
  const grant = req.body.grant_type;
  console.log(`TOKEN ${grant}`);
  if (grant === 'refresh_token') {
    if (mode === 'refresh-500') {
      response.statusCode = 500;
      response.body = { error: 'server_error' };
      return;
    }
    // The mock accepts any refresh token; a real provider accepts only ones it issued and rotates them.
    if (mode === 'refresh-invalid-grant' || !refreshTokens.delete(req.body.refresh_token)) {
      response.statusCode = 400;
      response.body = { error: 'invalid_grant', error_description: 'The refresh token is invalid or expired.' };
      return;
    }
  }
  if (mode === 'token-400') {
    response.statusCode = 400;
    response.body = { error: 'invalid_client', error_description: 'Client authentication failed.' };
    return;
  }
  if (mode === 'token-500') {
    response.statusCode = 500;
    response.body = { error: 'server_error', error_description: 'Internal failure.' };
    return;
  }
  if (mode === 'id-token-garbled') response.body.id_token = 'eyJhbGciOiJSUzI1NiJ9.not-base64-json!.sig';
  if (mode === 'id-token-bad-signature') {
    const [h, p, s] = response.body.id_token.split('.');
    const claims = JSON.parse(Buffer.from(p, 'base64url'));
    claims.email = 'mallory@example.com';
    response.body.id_token = [h, Buffer.from(JSON.stringify(claims)).toString('base64url'), s].join('.');
  }
  if (response.body.refresh_token) refreshTokens.add(response.body.refresh_token);
});

const server = http.createServer((req, res) => {
  if (mode === 'token-not-json' && req.method === 'POST' && req.url.includes('/token')) {
    console.log('TOKEN not-json');
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<html><body>Service temporarily unavailable</body></html>');
    return;
  }
  service.requestHandler(req, res);
});
server.listen(0, '127.0.0.1', () => {
  // OIDC_PUBLIC_URL: the address clients use when the provider sits behind a TLS front end (https://127.0.0.1:<port>).
  base = process.env.OIDC_PUBLIC_URL ?? `http://127.0.0.1:${server.address().port}`;
  issuer.url = base + layout.prefix;
  console.log(`READY ${base} ${issuer.url} ${server.address().port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
