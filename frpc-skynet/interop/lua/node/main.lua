-- Lua node of the interop run: the hot-reload container (interop_m) and skynet_fly's frpc_server service.
local skynet = require "skynet"
local container_launcher = require "skynet-fly.container.container_launcher"

skynet.start(function()
	container_launcher.run()
	skynet.uniqueservice("frpc_server")
	skynet.exit()
end)
