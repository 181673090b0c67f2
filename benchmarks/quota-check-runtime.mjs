// Drives the check function's bootstrap the way Lambda does, for benchmarks/quota-check.sh: dynalite (DynamoDB) with
// one user's policy and usage, a Runtime API on 127.0.0.1, and a payload format 2.0 event with JWT claims.
// Usage: node quota-check-runtime.mjs <bootstrap> <cold starts> <warm invocations per start>
// Prints one line per figure ("cold_start_ms", "cold_handle_ms", "warm_handle_ms", "baseline_spawn_ms",
// "baseline_store_ms"), each a list of milliseconds.
import http from 'node:http';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../tests/peers/package.json', import.meta.url));
const dynalite = require('dynalite');
const [bootstrap, coldRuns, warmRuns] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];

const dynamo = dynalite({ createTableMs: 0 });
await new Promise(r => dynamo.listen(0, '127.0.0.1', r));
const dynamoUrl = `http://127.0.0.1:${dynamo.address().port}`;
async function ddb(op, body) {
  const res = await fetch(dynamoUrl, { method: 'POST', body: JSON.stringify(body), headers: {
    'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': `DynamoDB_20120810.${op}`, 'X-Amz-Date': '20260101T000000Z',
    Authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0' } });
  if (!res.ok) throw new Error(`${op}: ${await res.text()}`);
  return res.json();
}
for (const table of ['QuotaPolicies', 'UserQuotaMetrics'])
  await ddb('CreateTable', { TableName: table, BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }] });
const month = new Date().toISOString().slice(0, 7);
await ddb('PutItem', { TableName: 'QuotaPolicies', Item: { pk: { S: 'POLICY#group#engineering' }, sk: { S: 'CURRENT' },
  policy_type: { S: 'group' }, identifier: { S: 'engineering' }, monthly_token_limit: { N: '10000000' }, daily_token_limit: { N: '0' },
  monthly_cost_limit: { N: '0' }, daily_cost_limit: { N: '0' }, warn_threshold_percent: { N: '80' },
  enforcement_mode: { S: 'block' }, daily_enforcement_mode: { S: 'alert' }, enabled: { BOOL: true } } });
await ddb('PutItem', { TableName: 'UserQuotaMetrics', Item: { pk: { S: 'USER#alice@example.com' }, sk: { S: `MONTH#${month}` },
  email: { S: 'alice@example.com' }, input_tokens: { N: '8500000' }, output_tokens: { N: '0' }, cache_read_tokens: { N: '0' },
  cache_write_tokens: { N: '0' }, total_tokens: { N: '8500000' }, estimated_cost: { N: '25.5' } } });

const event = JSON.stringify({ version: '2.0', routeKey: 'GET /check', rawPath: '/check', rawQueryString: '', headers: {},
  requestContext: { accountId: '123456789012', apiId: 'a1b2c3d4e5', http: { method: 'GET', path: '/check' }, stage: '$default',
    authorizer: { jwt: { claims: { email: 'alice@example.com', groups: '[engineering contractors]', sub: 'alice' }, scopes: null } } },
  isBase64Encoded: false });

// The Runtime API: one invocation handed out per waiting /next, timed from hand-out to the function's response.
let waiting = null, handedOut = 0, onResponse = null, firstNext = null;
const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url.endsWith('/invocation/next')) { if (firstNext) { firstNext(); firstNext = null; } waiting = res; return; }
  let body = '';
  req.on('data', c => body += c);
  req.on('end', () => {
    res.writeHead(202).end('{}');
    if (req.url.endsWith('/response') || req.url.endsWith('/error')) onResponse?.(body, req.url);
  });
});
await new Promise(r => server.listen(0, '127.0.0.1', r));
const runtimeApi = `127.0.0.1:${server.address().port}`;

function invoke() {
  return new Promise((resolve, reject) => {
    const hand = () => {
      const res = waiting; waiting = null;
      const started = process.hrtime.bigint();
      onResponse = (body, url) => {
        onResponse = null;
        if (!url.endsWith('/response') || !body.includes('within_quota')) reject(new Error(`unexpected answer: ${body}`));
        resolve(Number(process.hrtime.bigint() - started) / 1e6);
      };
      res.writeHead(200, { 'Lambda-Runtime-Aws-Request-Id': `req-${++handedOut}`,
        'Lambda-Runtime-Deadline-Ms': String(Date.now() + 10000), 'Content-Type': 'application/json' }).end(event);
    };
    if (waiting) hand(); else { const timer = setInterval(() => { if (waiting) { clearInterval(timer); hand(); } }, 0.1); }
  });
}

const env = { AWS_LAMBDA_RUNTIME_API: runtimeApi, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'ASIABENCH', AWS_SECRET_ACCESS_KEY: 'secret',
  AWS_SESSION_TOKEN: 'token', AWS_EC2_METADATA_DISABLED: 'true', AWS_ENDPOINT_URL_DYNAMODB: dynamoUrl, ENABLE_FINEGRAINED_QUOTAS: 'true',
  QUOTA_TABLE: 'UserQuotaMetrics', POLICIES_TABLE: 'QuotaPolicies', HOME: '/tmp' };
const cold = [], coldHandle = [], warm = [], baseline = [], store = [];
for (let i = 0; i < coldRuns; i++) {
  // Baseline in the same run: spawning /bin/true and seeing it exit.
  let t = process.hrtime.bigint();
  await new Promise(r => spawn('/bin/true').on('exit', r));
  baseline.push(Number(process.hrtime.bigint() - t) / 1e6);

  // What the store alone takes for the four reads a check makes (policies, month, day, unblock), from node.
  t = process.hrtime.bigint();
  for (const [table, pk, sk] of [['QuotaPolicies', 'POLICY#group#engineering', 'CURRENT'], ['UserQuotaMetrics', 'USER#alice@example.com', `MONTH#${month}`],
    ['UserQuotaMetrics', 'USER#alice@example.com', 'DAY#none'], ['UserQuotaMetrics', 'USER#alice@example.com', 'UNBLOCK#CURRENT']])
    await ddb('GetItem', { TableName: table, Key: { pk: { S: pk }, sk: { S: sk } } });
  store.push(Number(process.hrtime.bigint() - t) / 1e6);

  t = process.hrtime.bigint();
  const child = spawn(bootstrap, [], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  await new Promise(r => { firstNext = r; });
  const handled = await invoke();
  cold.push(Number(process.hrtime.bigint() - t) / 1e6);
  coldHandle.push(handled);
  for (let j = 0; j < warmRuns; j++) warm.push(await invoke());
  child.kill('SIGKILL');
  await new Promise(r => child.on('exit', r));
  waiting = null;
}
const show = values => values.map(v => v.toFixed(3)).join(' ');
console.log(`cold_start_ms ${show(cold)}`);
console.log(`cold_handle_ms ${show(coldHandle)}`);
console.log(`warm_handle_ms ${show(warm)}`);
console.log(`baseline_spawn_ms ${show(baseline)}`);
console.log(`baseline_store_ms ${show(store)}`);
server.close();
dynamo.close();
