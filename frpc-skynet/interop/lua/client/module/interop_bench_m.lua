-- Throughput of Lua callers (the shape of skynet_fly's own frpc benchmark, examples/frpc_client test_benchmark):
-- `count` concurrent mod_call("ping", <size bytes>) from one service to one node, timed from the first fork to the
-- last reply. Each target is warmed up, then measured `runs` times, the targets taking turns. Writes
--   BENCH <label> run <i> <calls> calls <seconds> s <calls/s> calls/s
--   BENCH <label> median <calls/s> calls/s
-- to default_arg.out, then "DONE".
local skynet = require "skynet"
local frpc_client = require "skynet-fly.client.frpc_client"

local CMD = {}

local function wait_active(target, seconds)
	for _ = 1, seconds * 10 do
		if frpc_client:is_active(target.svr_name, target.svr_id) then return true end
		skynet.sleep(10)
	end
	return false
end

-- count concurrent calls; returns seconds taken and failures
local function burst(cli, count, msg)
	local co = coroutine.running()
	local done, failed = 0, 0
	local expected = "pong " .. msg
	local start = skynet.hpc()
	for _ = 1, count do
		skynet.fork(function()
			local ret = cli:mod_call("ping", msg)
			if not ret or ret.result[1] ~= expected then failed = failed + 1 end
			done = done + 1
			if done == count then skynet.wakeup(co) end
		end)
	end
	skynet.wait(co)
	return (skynet.hpc() - start) / 1e9, failed
end

function CMD.start(cfg)
	local out = assert(io.open(cfg.out, "w"))
	local function write(...)
		out:write(string.format(...), "\n")
		out:flush()
	end
	skynet.fork(function()
		local msg = string.rep("m", cfg.size)
		local clis, rates = {}, {}
		for i, target in ipairs(cfg.targets) do
			if not wait_active(target, 20) then
				write("BENCH %s FAIL not connected to %s:%d", target.label, target.svr_name, target.svr_id)
			else
				local cli = frpc_client:new(frpc_client.FRPC_MODE.byid, target.svr_name, "interop_m")
				cli:set_svr_id(target.svr_id)
				burst(cli, cfg.count, msg)       -- warm-up
				clis[i], rates[i] = cli, {}
			end
		end
		for run = 1, cfg.runs do
			for i, target in ipairs(cfg.targets) do
				if clis[i] then
					local seconds, failed = burst(clis[i], cfg.count, msg)
					local rate = cfg.count / seconds
					rates[i][#rates[i] + 1] = rate
					write("BENCH %s run %d %d calls %.3f s %.0f calls/s%s", target.label, run, cfg.count, seconds, rate,
						failed > 0 and string.format(" FAIL %d calls failed", failed) or "")
				end
			end
		end
		for i, target in ipairs(cfg.targets) do
			if rates[i] then
				table.sort(rates[i])
				write("BENCH %s median %.0f calls/s", target.label, rates[i][(#rates[i] + 1) // 2])
			end
		end
		write("DONE")
	end)
	return true
end

function CMD.exit() return true end

return CMD
