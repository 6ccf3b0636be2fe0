-- The "interop_m" module the Lua node serves; InteropJavaNode serves a Java module of the same name with the
-- same commands, so one Lua checker runs against both. Two instances, named "one" and "two"; each registers the
-- skynet alias ".interop_<index>" for send_by_alias / call_by_alias. Instance "one" publishes every 200 ms, as the
-- Java node does: channel "interop_pub" {tick = i}, state "interop_syn" {state = i}, states "room:1:a",
-- "room:2:a" and "room:1:b" {room = <channel>, n = i}.
local skynet = require "skynet.manager"
local module_info = require "skynet-fly.etc.module_info"
local env_util = require "skynet-fly.utils.env_util"
local watch_server = require "skynet-fly.rpc.watch_server"

local g_cfg = nil
local g_notes = {}            -- tag -> how many note(tag) sends this instance received
local CMD = {}

function CMD.echo(v)                 return v end
function CMD.add(a, b)               return a + b end
function CMD.fail(msg)               error(msg or "interop failure") end
function CMD.sleep(cs)               skynet.sleep(cs) return "slept " .. tostring(cs) end
function CMD.big(n)                  return string.rep("x", n) end
function CMD.ping(msg)               return "pong " .. msg end
-- several arguments of several types in, a table with string keys (a record on the Java side) out
function CMD.args(s, i, b, f, list)  return { s = s, i = i, b = b, f = f, n = #list } end
function CMD.move(p, by)             return { x = p.x + by, y = p.y + by } end
function CMD.info()
	return { svr_name = env_util.get_svr_name(), svr_id = env_util.get_svr_id(),
	         instance_name = g_cfg and g_cfg.instance_name, index = module_info.get_base_info().index }
end
-- sends (no reply) leave a note; a later broadcast call of notes(prefix) tells which instance got which
function CMD.note(tag)               g_notes[tag] = (g_notes[tag] or 0) + 1 end
function CMD.notes(prefix)
	local found = {}
	for tag, n in pairs(g_notes) do
		if tag:sub(1, #prefix) == prefix then found[tag] = n end
	end
	return { instance_name = g_cfg and g_cfg.instance_name, notes = found }
end

function CMD.start(config)
	g_cfg = config
	local index = module_info.get_base_info().index
	skynet.register(".interop_" .. index)
	if index == 1 then
		skynet.fork(function()
			local i = 0
			while true do
				i = i + 1
				watch_server.publish("interop_pub", { tick = i })
				watch_server.pubsyn("interop_syn", { state = i })
				for _, room in ipairs({ "room:1:a", "room:2:a", "room:1:b" }) do
					watch_server.pubsyn(room, { room = room, n = i })
				end
				skynet.sleep(20)
			end
		end)
	end
	return true
end

function CMD.exit() return true end

return CMD
