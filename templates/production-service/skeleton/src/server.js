// ${{ values.name }}: HTTP service with the endpoints the generated manifests probe.
//   GET /healthz  liveness and startup probe: the process is up
//   GET /readyz   readiness probe: ready for traffic (503 while shutting down)
//   GET /metrics  Prometheus metrics: http_requests_total and the
//                 http_request_duration_seconds histogram the SLO alerts read
'use strict';

const http = require('node:http');
const { createMetrics } = require('./metrics');

const port = Number(process.env.PORT || '${{ values.port }}');
const latencyTargetSeconds =
  Number(process.env.LATENCY_TARGET_MS || '${{ values.latencyMs }}') / 1000;

function createServer() {
  const metrics = createMetrics(latencyTargetSeconds);
  let shuttingDown = false;

  const routes = {
    '/healthz': () => [200, { status: 'ok' }],
    '/readyz': () =>
      shuttingDown
        ? [503, { status: 'shutting-down' }]
        : [200, { status: 'ok' }],
    '/': () => [200, { service: '${{ values.name }}', status: 'ok' }],
  };

  const server = http.createServer((req, res) => {
    const started = process.hrtime.bigint();
    const path = (req.url || '/').split('?')[0];
    if (req.method === 'GET' && path === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(metrics.render());
      return;
    }
    const route = req.method === 'GET' ? routes[path] : undefined;
    const [status, body] = route ? route() : [404, { error: 'not found' }];
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
    if (path !== '/healthz' && path !== '/readyz') {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.observe(req.method, status, seconds);
    }
  });

  server.beginShutdown = () => {
    shuttingDown = true;
  };
  return server;
}

if (require.main === module) {
  const server = createServer();
  server.listen(port, () => {
    console.log(
      JSON.stringify({ level: 'info', message: `listening on ${port}` }),
    );
  });
  // Fail readiness first, so the load balancer stops sending traffic, then close.
  process.on('SIGTERM', () => {
    server.beginShutdown();
    setTimeout(() => server.close(() => process.exit(0)), 5000).unref();
  });
}

module.exports = { createServer };
