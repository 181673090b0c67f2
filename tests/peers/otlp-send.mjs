// Sends one span with the OpenTelemetry JS SDK's OTLP/HTTP exporter (the exporter family Claude Code uses), as
// protobuf or JSON, to the given traces URL. Prints {"code":0} on success, {"code":1,"error":"..."} otherwise.
//   node otlp-send.mjs proto|json http://127.0.0.1:4318/v1/traces
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';

const [format, url] = process.argv.slice(2);
const Exporter = format === 'proto' ? ProtoExporter : JsonExporter;
const exporter = new Exporter({ url, timeoutMillis: 20000 });

const result = await new Promise((resolve) => {
  const wrapped = {
    export(spans, done) {
      exporter.export(spans, (r) => { resolve(r); done(r); });
    },
    shutdown: () => exporter.shutdown(),
  };
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'claude-code' }),
    spanProcessors: [new SimpleSpanProcessor(wrapped)],
  });
  const span = provider.getTracer('ccwb-tests').startSpan('claude_code.tool');
  span.setAttribute('tool.name', 'Bash');
  span.end();
});
console.log(JSON.stringify({ code: result.code, error: result.error ? String(result.error.message ?? result.error) : undefined }));
process.exit(result.code === 0 ? 0 : 1);
