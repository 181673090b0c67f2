// dynalite (a DynamoDB implementation on LevelDB, in memory here) on 127.0.0.1, for the quota tests.
// Usage: node dynamodb-server.mjs. Prints "READY http://127.0.0.1:<port>" once listening; requests are logged as
// "REQUEST <X-Amz-Target>".
//
// dynalite 4 answers DescribeTimeToLive with DISABLED and has no UpdateTimeToLive; both are added in front of it,
// as DynamoDB does them: UpdateTimeToLive needs an existing table, a non-empty attribute name and may not switch to
// the state the table is already in; DescribeTimeToLive then reports ENABLED with that attribute. Like DynamoDB,
// expired items are NOT removed on the spot (DynamoDB takes up to a few days): readers must check expiry themselves.
import http from 'node:http';
import dynalite from 'dynalite';

const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
const [dynaliteHandler] = server.listeners('request');
server.removeAllListeners('request');
const ttl = new Map(); // table name -> attribute name

function reply(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.0', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function readJson(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => { try { resolve(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}')); } catch (e) { reject(e); } });
    req.on('error', reject);
  });
}

// Asks dynalite itself whether the table exists, with the caller's own authorization header.
function tableExists(req, name) {
  return new Promise(resolve => {
    const body = JSON.stringify({ TableName: name });
    const ask = http.request({
      host: '127.0.0.1', port: server.address().port, method: 'POST', path: '/',
      headers: {
        'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'DynamoDB_20120810.DescribeTable',
        'Authorization': req.headers.authorization || '', 'X-Amz-Date': req.headers['x-amz-date'] || '',
        'Content-Length': Buffer.byteLength(body),
      },
    }, res => { res.resume(); resolve(res.statusCode === 200); });
    ask.on('error', () => resolve(false));
    ask.end(body);
  });
}

const notFound = name => ({ __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException', message: `Requested resource not found: Table: ${name} not found` });
const invalid = message => ({ __type: 'com.amazon.coral.validate#ValidationException', message });

server.on('request', async (req, res) => {
  const target = req.headers['x-amz-target'] || '';
  console.log(`REQUEST ${target}`);
  const operation = target.split('.')[1];
  if (operation !== 'UpdateTimeToLive' && !(operation === 'DescribeTimeToLive' && req.method === 'POST')) {
    return dynaliteHandler(req, res);
  }
  let data;
  try { data = await readJson(req); } catch { return reply(res, 400, { __type: 'com.amazon.coral.service#SerializationException' }); }
  if (!data.TableName) return reply(res, 400, invalid('1 validation error detected: Value null at \'tableName\' failed to satisfy constraint: Member must not be null'));
  if (!(await tableExists(req, data.TableName))) return reply(res, 400, notFound(data.TableName));
  if (operation === 'DescribeTimeToLive') {
    const attribute = ttl.get(data.TableName);
    return reply(res, 200, { TimeToLiveDescription: attribute ? { TimeToLiveStatus: 'ENABLED', AttributeName: attribute } : { TimeToLiveStatus: 'DISABLED' } });
  }
  const spec = data.TimeToLiveSpecification || {};
  if (!spec.AttributeName || typeof spec.Enabled !== 'boolean') return reply(res, 400, invalid('TimeToLiveSpecification needs AttributeName and Enabled'));
  if (spec.Enabled === ttl.has(data.TableName)) {
    return reply(res, 400, invalid(spec.Enabled ? 'TimeToLive is already enabled' : 'TimeToLive is already disabled'));
  }
  if (spec.Enabled) ttl.set(data.TableName, spec.AttributeName); else ttl.delete(data.TableName);
  return reply(res, 200, { TimeToLiveSpecification: spec });
});

server.listen(0, '127.0.0.1', () => console.log(`READY http://127.0.0.1:${server.address().port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
