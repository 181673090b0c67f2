// s3rver (a real S3 implementation: buckets, multipart uploads, metadata, access key ids, presigned-URL expiry) on
// 127.0.0.1, for the distribute tests. Usage: node s3-server.mjs <directory> <bucket>...
// Prints "READY http://127.0.0.1:<port>" once listening. Requests are logged as "REQUEST <method> <url>".
//
// Two things S3 does that s3rver 3.7 does not are added in front of it, as S3 does them:
// - AbortMultipartUpload (DELETE ?uploadId=): the upload's stored parts are removed; 204, or 404 NoSuchUpload.
// - Session tokens: a token "expires-<unix seconds>" stands for STS credentials with that expiry; once past it every
//   request carrying it is refused with 400 ExpiredToken. Other tokens are accepted, as s3rver accepts them.
// S3_CLOCK_OFFSET_SECONDS moves this server's clock (to see presigned URLs expire without waiting).
// S3_PART_DELAY_MS holds back each part's response after the part is stored: a slow link, so a test can interrupt
// an upload while parts are in flight.
import fs from 'node:fs';
import path from 'node:path';
import S3rver from 's3rver';

const partDelay = Number(process.env.S3_PART_DELAY_MS || 0);
const offset = Number(process.env.S3_CLOCK_OFFSET_SECONDS || 0) * 1000;
if (offset) {
  const RealDate = Date;
  globalThis.Date = class extends RealDate {
    constructor(...args) { if (args.length === 0) super(RealDate.now() + offset); else super(...args); }
    static now() { return RealDate.now() + offset; }
  };
}

const [directory, ...buckets] = process.argv.slice(2);
const server = new S3rver({
  address: '127.0.0.1', port: 0, directory, silent: true,
  configureBuckets: buckets.map(name => ({ name })),
});

function xmlError(ctx, status, code, message) {
  ctx.status = status;
  ctx.type = 'application/xml';
  ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
}

function findDirectory(root, name) {
  if (!fs.existsSync(root)) return null;
  for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const full = path.join(root, entry.name);
    if (entry.name === name) return full;
    const found = findDirectory(full, name);
    if (found) return found;
  }
  return null;
}

server.middleware.unshift(async (ctx, next) => {
  console.log(`REQUEST ${ctx.method} ${ctx.url}`);
  const token = ctx.get('x-amz-security-token') || ctx.query['X-Amz-Security-Token'] || '';
  const match = /^expires-(\d+)$/.exec(token);
  if (match && Number(match[1]) * 1000 <= Date.now()) {
    return xmlError(ctx, 400, 'ExpiredToken', 'The provided token has expired.');
  }
  if (ctx.method === 'DELETE' && 'uploadId' in ctx.query) {
    const bucket = ctx.path.split('/')[1];
    const upload = findDirectory(path.join(directory, bucket), ctx.query.uploadId);
    if (!upload) return xmlError(ctx, 404, 'NoSuchUpload', 'The specified upload does not exist.');
    fs.rmSync(upload, { recursive: true, force: true });
    ctx.status = 204;
    return;
  }
  await next();
  if (partDelay && ctx.method === 'PUT' && 'partNumber' in ctx.query) {
    await new Promise(resolve => setTimeout(resolve, partDelay));
  }
});

const { port } = await server.run();
console.log(`READY http://127.0.0.1:${port}`);
process.on('SIGTERM', () => server.close().then(() => process.exit(0)));
