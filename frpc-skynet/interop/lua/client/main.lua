-- Lua caller node of the interop run: the hot-reload container (frpc_client_m and the checker or the benchmark).
local skynet = require "skynet"
local container_launcher = require "skynet-fly.container.container_launcher"

skynet.start(function()
	container_launcher.run()
	skynet.exit()
end)
