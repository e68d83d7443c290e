'use strict';

const assert = require('node:assert/strict');
const { test } = require('node:test');
const { createServer } = require('./server');

test('health, readiness and metrics endpoints', async () => {
  const server = createServer();
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    assert.deepEqual(await (await fetch(`${base}/healthz`)).json(), {
      status: 'ok',
    });
    assert.equal((await fetch(`${base}/readyz`)).status, 200);
    await fetch(`${base}/`);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.match(metrics, /http_requests_total\{method="GET",code="200"\} 1/);
    server.beginShutdown();
    assert.equal((await fetch(`${base}/readyz`)).status, 503);
  } finally {
    server.close();
  }
});
