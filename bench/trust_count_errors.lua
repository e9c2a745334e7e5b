-- wrk script for bench/trust_sustained.sh: rotate over the paths given as arguments, count
-- every response that is not 2xx/3xx, and print a summary the shell script reads.
local paths = {}
local counter = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for _, path in ipairs(args) do table.insert(paths, path) end
  bad = 0
  statuses = {}
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1], { ["Accept-Encoding"] = "gzip, br" })
end

function response(status, headers, body)
  if status < 200 or status >= 400 then
    bad = bad + 1
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local total_bad = 0
  for _, thread in ipairs(threads) do total_bad = total_bad + thread:get("bad") end
  local errors = summary.errors
  io.write(string.format("TRUST requests=%d duration_s=%.1f rps=%.1f\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6)))
  io.write(string.format("TRUST latency_ms p50=%.1f p90=%.1f p99=%.1f max=%.1f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("TRUST non_2xx_3xx=%d socket_errors=%d (connect %d, read %d, write %d, timeout %d)\n",
    total_bad, errors.connect + errors.read + errors.write + errors.timeout,
    errors.connect, errors.read, errors.write, errors.timeout))
end
