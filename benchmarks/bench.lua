-- wrk script for `make bench` (benchmarks/bench.py writes the paths file):
--   wrk ... -s benchmarks/bench.lua http://127.0.0.1:PORT -- PATHS_FILE
-- Every connection rotates through the paths (one per line), each request marked
-- as having come through the TLS-terminating proxy (X-Forwarded-Proto: https), and
-- every response is counted by status class, so 3xx, 4xx and 5xx are known exactly
-- (wrk itself only counts "status > 399"). done() prints one JSON line for the script,
-- "BENCH {...}", with the latency percentiles in microseconds.

local threads = {}

function setup(thread)
    thread:set("id", #threads)
    table.insert(threads, thread)
end

function init(args)
    local prepared = {}
    for line in io.lines(args[1]) do
        if line ~= "" then
            table.insert(prepared, wrk.format("GET", line, { ["X-Forwarded-Proto"] = "https" }))
        end
    end
    requests_by_index = prepared
    -- Threads start at different places in the mix.
    counter = (id or 0) * 7
    statuses = {}
end

function request()
    counter = counter + 1
    return requests_by_index[(counter % #requests_by_index) + 1]
end

function response(status, headers, body)
    local class = tostring(math.floor(status / 100)) .. "xx"
    statuses[class] = (statuses[class] or 0) + 1
end

function done(summary, latency, requests)
    local totals = {}
    for _, thread in ipairs(threads) do
        for class, count in pairs(thread:get("statuses")) do
            totals[class] = (totals[class] or 0) + count
        end
    end
    local parts = {}
    for class, count in pairs(totals) do
        table.insert(parts, string.format('"%s": %d', class, count))
    end
    local e = summary.errors
    io.write(string.format(
        'BENCH {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
        '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
        '"latency_us": {"p50": %d, "p90": %d, "p95": %d, "p99": %d, "max": %d, "mean": %.0f}, ' ..
        '"statuses": {%s}}\n',
        summary.requests, summary.duration, summary.bytes,
        e.connect, e.read, e.write, e.status, e.timeout,
        latency:percentile(50), latency:percentile(90), latency:percentile(95),
        latency:percentile(99),
        latency.max, latency.mean, table.concat(parts, ", ")
    ))
end
