-- One page under load, for bin/loadbench: `wrk -s bench/wrk.lua -H "Cookie: ..." URL`.
--
-- From the environment: BENCH_METHOD (GET), BENCH_BODY (a form-encoded body for a POST) and
-- BENCH_EXPECT (the status every answer must have, 200). wrk itself counts only 4xx and 5xx as
-- errors; a signed-out session answers 302 to the sign-in page, so every status is checked here.
-- done() prints one line, "BENCH {json}", that bench/report.py reads.

wrk.method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY") or ""
if body ~= "" then
    wrk.body = body
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end
local expect = tonumber(os.getenv("BENCH_EXPECT") or "200")

local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

-- Per thread (each has its own Lua state): answers with another status, and the first one seen.
unexpected = 0
first_unexpected = 0

function response(status, headers, body)
    if status ~= expect then
        unexpected = unexpected + 1
        if first_unexpected == 0 then
            first_unexpected = status
        end
    end
end

function done(summary, latency, requests)
    local bad, first = 0, 0
    for _, thread in ipairs(threads) do
        bad = bad + thread:get("unexpected")
        local seen = thread:get("first_unexpected")
        if first == 0 and seen ~= 0 then
            first = seen
        end
    end
    local errors = summary.errors
    io.write(string.format(
        'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, '
            .. '"unexpected": %d, "first_unexpected": %d, "expect": %d, "status_errors": %d, '
            .. '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "timeouts": %d}\n',
        summary.requests, summary.duration,
        latency:percentile(50), latency:percentile(95), latency:percentile(99),
        bad, first, expect, errors.status,
        errors.connect, errors.read, errors.write, errors.timeout
    ))
end
