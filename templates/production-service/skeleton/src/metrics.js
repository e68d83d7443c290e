'use strict';

// Histogram buckets (seconds); the SLO's latency target is always one of them,
// so that the burn-rate alerts can count requests slower than the target.
function bucketsFor(target) {
  const base = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
  return [...new Set([...base, target])].sort((a, b) => a - b);
}

function createMetrics(latencyTargetSeconds) {
  const buckets = bucketsFor(latencyTargetSeconds);
  const requests = new Map();
  const histogram = { counts: buckets.map(() => 0), sum: 0, count: 0 };

  return {
    observe(method, status, seconds) {
      const key = `${method}|${status}`;
      requests.set(key, (requests.get(key) || 0) + 1);
      buckets.forEach((bound, i) => {
        if (seconds <= bound) histogram.counts[i] += 1;
      });
      histogram.sum += seconds;
      histogram.count += 1;
    },
    render() {
      const lines = [
        '# HELP http_requests_total Requests served, by method and status code.',
        '# TYPE http_requests_total counter',
      ];
      for (const [key, value] of requests) {
        const [method, code] = key.split('|');
        lines.push(
          `http_requests_total{method="${method}",code="${code}"} ${value}`,
        );
      }
      lines.push(
        '# HELP http_request_duration_seconds Request duration.',
        '# TYPE http_request_duration_seconds histogram',
      );
      buckets.forEach((bound, i) => {
        lines.push(
          `http_request_duration_seconds_bucket{le="${bound}"} ${histogram.counts[i]}`,
        );
      });
      lines.push(
        `http_request_duration_seconds_bucket{le="+Inf"} ${histogram.count}`,
        `http_request_duration_seconds_sum ${histogram.sum}`,
        `http_request_duration_seconds_count ${histogram.count}`,
      );
      return `${lines.join('\n')}\n`;
    },
  };
}

module.exports = { createMetrics, bucketsFor };
