#!/usr/bin/env bash
# End-to-end interop of frpc-skynet with a real skynet_fly node (not part of ./mvnw verify).
#
#   frpc-skynet/interop/run.sh <skynet_fly source tree>          every check, in three security modes
#   frpc-skynet/interop/run.sh <skynet_fly source tree> bench    10,000 concurrent 1 KiB mod calls, median of runs
#
# <skynet_fly source tree>: a checkout of github.com/huahua132/skynet_fly with its skynet submodule (the huahua132
# fork) in <tree>/skynet. What is missing in it is built (skynet without jemalloc, ltls.so against the system's
# OpenSSL, frpcpack.so, lfs.so, cjson.so, skiplist.so); this needs gcc, make and libssl-dev (Debian/Ubuntu names;
# zlib1g-dev is only needed for skynet_fly's optional zlib module, which this run does not use). Nothing is
# installed for you.
# The Java side is built with the Maven wrapper, offline by default (INTEROP_MAVEN_FLAGS="" to allow downloads).
# Everything generated goes to frpc-skynet/target/skynet-interop/. Ports INTEROP_PORT_BASE (27600) .. +39 on
# 127.0.0.1. INTEROP_SECURITY="plain secret secret+encrypt" picks the security modes checked. Prints one
# PASS/FAIL/SKIP line per check and a summary; exits non-zero on any failure.
set -euo pipefail

usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[ $# -ge 1 ] && [ -d "$1" ] || usage
FLY=$(cd "$1" && pwd)
WHAT=${2:-check}
case "$WHAT" in check|bench) ;; *) usage ;; esac

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MODULE_DIR=$(dirname "$HERE")
ROOT=$(dirname "$MODULE_DIR")
WORK=${INTEROP_WORK:-"$MODULE_DIR/target/skynet-interop"}
PORT_BASE=${INTEROP_PORT_BASE:-27600}
NICE="nice -n ${INTEROP_NICE:-19}"
LUA="$FLY/skynet/3rd/lua/lua"
SKYNET="$FLY/skynet/skynet"

log() { echo "== $*" >&2; }
die() { echo "run.sh: $*" >&2; exit 2; }

# ---------------------------------------------------------------------------------------------------------------
# (a) skynet_fly: build what is missing (commands as in skynet_fly's and skynet's makefiles, without jemalloc and
# with the system OpenSSL instead of the vendored one)
build_skynet() {
	[ -f "$FLY/lualib-src/lua-frpcpack.c" ] || die "$FLY does not look like a skynet_fly tree (no lualib-src/lua-frpcpack.c)"
	[ -f "$FLY/skynet/skynet-src/skynet_main.c" ] || die "$FLY/skynet is empty: check out skynet_fly's skynet submodule (the huahua132 fork)"
	command -v gcc >/dev/null && command -v make >/dev/null || die "needs gcc and make"
	if [ ! -x "$SKYNET" ] || [ ! -x "$LUA" ]; then
		log "building skynet in $FLY/skynet (a few minutes)"
		(cd "$FLY/skynet" && $NICE make linux -j1 MALLOC_STATICLIB= SKYNET_DEFINES=-DNOUSE_JEMALLOC >&2)
	fi
	local CF="-std=gnu99 -O2 -Wall -fPIC --shared -I$FLY/skynet/3rd/lua"
	if [ ! -f "$FLY/skynet/luaclib/ltls.so" ]; then
		# skynet_fly's generated config has enablessl = true: every node loads ltls
		echo '#include <openssl/ssl.h>' | gcc -E - >/dev/null 2>&1 || die "needs the OpenSSL headers (libssl-dev) for ltls.so"
		log "building ltls.so"
		(cd "$FLY/skynet" && $NICE gcc $CF -Iskynet-src lualib-src/ltls.c -o luaclib/ltls.so -lssl -lcrypto)
	fi
	mkdir -p "$FLY/luaclib"
	cd "$FLY"
	[ -f luaclib/frpcpack.so ] || { log "building frpcpack.so"; $NICE gcc $CF -Iskynet/skynet-src lualib-src/lua-frpcpack.c -o luaclib/frpcpack.so; }
	[ -f luaclib/lfs.so ] || { log "building lfs.so"; $NICE gcc $CF -I3rd/luafilesystem/src 3rd/luafilesystem/src/lfs.c -o luaclib/lfs.so; }
	[ -f luaclib/cjson.so ] || { log "building cjson.so"; $NICE gcc $CF -I3rd/lua-cjson 3rd/lua-cjson/lua_cjson.c 3rd/lua-cjson/strbuf.c 3rd/lua-cjson/fpconv.c -o luaclib/cjson.so; }
	# watch_syn_client (state sync) needs skynet_fly's skiplist
	[ -f luaclib/skiplist.so ] || { log "building skiplist.so"; $NICE gcc $CF -I3rd/lua-zset 3rd/lua-zset/skiplist.c 3rd/lua-zset/lua-skiplist.c -o luaclib/skiplist.so; }
	cd - >/dev/null
}

# (b) the Java side: test classes and the test class path of frpc-skynet
JAVA_NODE=io.frpc.skynet.interop.InteropJavaNode
HAVE_JAVA=0
build_java() {
	if [ ! -f "$MODULE_DIR/src/test/java/io/frpc/skynet/interop/InteropJavaNode.java" ]; then
		log "no InteropJavaNode in this tree: the Java checks are skipped"
		return
	fi
	log "building frpc-skynet and its test classes (Maven wrapper)"
	(cd "$ROOT" && $NICE ./mvnw -B -q ${INTEROP_MAVEN_FLAGS--o} -pl frpc-skynet -am test-compile dependency:build-classpath \
		-Dmdep.outputFile=target/skynet-interop-classpath.txt -Dmdep.includeScope=test >&2)
	CLASSPATH_JAVA="$MODULE_DIR/target/test-classes:$MODULE_DIR/target/classes:$(cat "$MODULE_DIR/target/skynet-interop-classpath.txt")"
	HAVE_JAVA=1
}

# ---------------------------------------------------------------------------------------------------------------
PIDS=()
cleanup() {
	local pid
	for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
	for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
	PIDS=()
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start_lua_node <dir> <load_mods file name>: skynet_fly's own steps (write_config.lua, then skynet), as its
# make_server.sh / run.sh do, with the skynet config kept per load_mods file so one directory serves several
start_lua_node() {
	local dir=$1 cfg=$2 name=${2%.lua}
	(
		cd "$dir"
		"$LUA" "$FLY/script/lua/write_config.lua" "$FLY" "$cfg" 0 >/dev/null
		cp "make/$(basename "$dir")_config.lua" "make/$name.skynet.lua"
		"$LUA" "$FLY/script/lua/console.lua" "$FLY" "$(basename "$dir")" "$cfg" create_load_mods_old >/dev/null 2>&1 || true
	)
	(cd "$dir" && exec $NICE "$SKYNET" "make/$name.skynet.lua" "$cfg" >"$name.out" 2>&1) &
	PIDS+=($!)
}

# start_java_node <log> <args...>: InteropJavaNode; waits for its READY line
start_java_node() {
	local out=$1; shift
	$NICE java -Xmx512m -XX:+UseParallelGC -Dio.netty.leakDetection.level=disabled -cp "$CLASSPATH_JAVA" "$JAVA_NODE" "$@" >"$out" 2>&1 &
	PIDS+=($!)
	wait_for "$out" '^READY' 60 || { tail -20 "$out" >&2; return 1; }
}

# wait_for <file> <regex> <seconds> [<log of the Lua node that writes the file>]: gives up early when that node
# failed to load one of its modules
wait_for() {
	local i
	for ((i = 0; i < $3 * 5; i++)); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		if [ -n "${4:-}" ] && grep -q 'launch_new_module load err' "$4" 2>/dev/null; then
			grep -m3 -B1 'load err\|not found' "$4" >&2 || true
			return 1
		fi
		sleep 0.2
	done
	return 1
}

lua_str() { [ -n "$1" ] && printf '"%s"' "$1" || printf nil; }
lua_bool() { [ "$1" = 1 ] && printf true || printf nil; }

# server load_mods: lua_s <id> on <port>, 2 instances of interop_m ("one", "two")
write_server_cfg() { # file id port debug_port secret encrypt
	cat >"$1" <<EOF
-- generated by frpc-skynet/interop/run.sh
return {
	share_config_m = { launch_seq = 1, launch_num = 1, default_arg = {
		frpc_server = {
			host = "127.0.0.1:$3",
			gateconf = { address = "127.0.0.1", port = $3, maxclient = 1024 },
			secret_key = $(lua_str "$5"), is_encrypt = $(lua_bool "$6"),
		},
		server_cfg = { svr_type = 1, svr_name = "lua_s", svr_id = $2, debug_port = $4, thread = 2, logpath = "./logs_$2/" },
	} },
	interop_m = { launch_seq = 2, launch_num = 2, mod_args = { { instance_name = "one" }, { instance_name = "two" } } },
}
EOF
}

# node_entry <svr_name> <id> <port> <secret> <encrypt>
node_entry() {
	printf '%s = { [%s] = { svr_id = %s, host = "127.0.0.1:%s", secret_key = %s, is_encrypt = %s } },' \
		"$1" "$2" "$2" "$3" "$(lua_str "$4")" "$(lua_bool "$5")"
}
target_entry() { # label svr_name id secret encrypt java [refused]
	printf '{ label = "%s", svr_name = "%s", svr_id = %s, secret = %s, encrypt = %s, java = %s, refused = %s },' \
		"$1" "$2" "$3" "$(lua_str "$4")" "$(lua_bool "$5")" "$(lua_bool "$6")" "$(lua_bool "${7:-0}")"
}

# client load_mods: lua_c <id> with frpc_client_m's static node map and one caller module
write_client_cfg() { # file id debug_port node_map targets module module_args
	cat >"$1" <<EOF
-- generated by frpc-skynet/interop/run.sh
return {
	share_config_m = { launch_seq = 1, launch_num = 1, default_arg = {
		server_cfg = { svr_type = 2, svr_name = "lua_c", svr_id = $2, debug_port = $3, thread = 2, logpath = "./logs_$2/" },
	} },
	frpc_client_m = { launch_seq = 2, launch_num = 1, default_arg = { node_map = { $4 } } },
	$6 = { launch_seq = 3, launch_num = 1, default_arg = { targets = { $5 }, $7 } },
}
EOF
}

prepare_dirs() {
	rm -rf "$WORK"
	mkdir -p "$WORK"
	cp -r "$HERE/lua/node" "$WORK/lua_s"
	cp -r "$HERE/lua/client" "$WORK/lua_c"
}

# ---------------------------------------------------------------------------------------------------------------
run_checks() {
	local k sec secret encrypt id lport jport results jargs java_targets java_nodes lua_nodes lua_targets
	local modes=(plain secret secret+encrypt)
	for k in 0 1 2; do
		sec=${modes[$k]}
		case " ${INTEROP_SECURITY:-plain secret secret+encrypt} " in *" $sec "*) ;; *) continue ;; esac
		id=$((k + 1))
		secret=""; encrypt=0
		[ $k -ge 1 ] && secret="k3y$id"
		[ $k -eq 2 ] && encrypt=1
		lport=$((PORT_BASE + k)); jport=$((PORT_BASE + 10 + k))
		log "security: $sec (Lua node lua_s:$id on $lport, Java node java_s:$id on $jport)"
		write_server_cfg "$WORK/lua_s/sec_$id.lua" "$id" "$lport" $((PORT_BASE + 20 + k)) "$secret" "$encrypt"
		start_lua_node "$WORK/lua_s" "sec_$id.lua"
		java_nodes=""; java_targets=""
		if [ $HAVE_JAVA = 1 ]; then
			jargs=(--svr-name java_s --svr-id "$id" --port "$jport" --security "$sec" --lua "lua_s:$id@127.0.0.1:$lport")
			[ -n "$secret" ] && jargs+=(--secret "$secret")
			[ $encrypt = 1 ] && jargs+=(--encrypt)
			# the Lua node must listen before the Java node calls it
			sleep 3
			start_java_node "$WORK/java_$id.out" "${jargs[@]}" || echo "FAIL $sec Java node - started: see $WORK/java_$id.out"
			java_nodes=$(node_entry java_s "$id" "$jport" "$secret" "$encrypt")
			java_targets=$(target_entry "Lua→Java" java_s "$id" "$secret" "$encrypt" 1)
			if [ -n "$secret" ]; then
				# the same Java node once more in the node map, under another name and with a wrong secret_key
				java_nodes="$java_nodes $(node_entry java_bad "$id" "$jport" "wrong-$secret" "$encrypt")"
				java_targets="$java_targets $(target_entry "Lua→Java" java_bad "$id" "wrong-$secret" "$encrypt" 1 1)"
			fi
		fi
		lua_nodes=$(node_entry lua_s "$id" "$lport" "$secret" "$encrypt")
		lua_targets=$(target_entry "Lua→Lua" lua_s "$id" "$secret" "$encrypt" 0)
		if [ -n "$secret" ]; then
			lua_nodes="$lua_nodes $(node_entry lua_bad "$id" "$lport" "wrong-$secret" "$encrypt")"
			lua_targets="$lua_targets $(target_entry "Lua→Lua" lua_bad "$id" "wrong-$secret" "$encrypt" 0 1)"
		fi
		results="$WORK/lua_c/results_$id.txt"
		write_client_cfg "$WORK/lua_c/check_$id.lua" "$id" $((PORT_BASE + 30 + k)) \
			"$java_nodes $lua_nodes" "$java_targets $lua_targets" \
			interop_check_m "security = \"$sec\", module = \"interop_m\", alias = \".interop_1\", out = \"$results\""
		start_lua_node "$WORK/lua_c" "check_$id.lua"
		wait_for "$results" '^DONE' 300 "$WORK/lua_c/check_$id.out" || echo "FAIL $sec Lua caller - finished: no DONE in $results within 300 s (log: $WORK/lua_c/check_$id.out)"
		grep -v '^DONE' "$results" 2>/dev/null || true
		if [ $HAVE_JAVA = 1 ]; then
			wait_for "$WORK/java_$id.out" '^JAVA-CALLS-DONE' 120 || echo "FAIL $sec Java→Lua - finished: no JAVA-CALLS-DONE in $WORK/java_$id.out"
			grep -E '^(PASS|FAIL|SKIP) ' "$WORK/java_$id.out" || true
		else
			echo "SKIP $sec Lua→Java - every check: no InteropJavaNode in this tree"
			echo "SKIP $sec Java→Lua - every check: no InteropJavaNode in this tree"
		fi
		cleanup
	done
}

# stop_last: stops the process start_lua_node started last
stop_last() {
	local pid=${PIDS[-1]}
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	unset 'PIDS[-1]'
}

# The servers (Lua node, Java node) stay up; each round starts a Lua caller for one measured run of Lua→Lua and
# Lua→Java (after its warm-up) and then a Java caller for one of Java→Lua (after its warm-up), so the three take
# turns through whatever else the machine is doing; the medians are over the rounds.
run_bench() {
	local count=${INTEROP_BENCH_CALLS:-10000} size=${INTEROP_BENCH_SIZE:-1024} runs=${INTEROP_BENCH_RUNS:-7}
	local lport=$PORT_BASE jport=$((PORT_BASE + 10)) java_nodes="" java_targets="" round results
	log "benchmark: $count concurrent $size-byte mod calls, $runs rounds (plain)"
	write_server_cfg "$WORK/lua_s/bench.lua" 1 "$lport" $((PORT_BASE + 20)) "" 0
	start_lua_node "$WORK/lua_s" bench.lua
	sleep 3
	if [ $HAVE_JAVA = 1 ]; then
		start_java_node "$WORK/java_bench.out" --svr-name java_s --svr-id 1 --port "$jport" --security plain
		java_nodes=$(node_entry java_s 1 "$jport" "" 0)
		java_targets=$(target_entry "Lua→Java" java_s 1 "" 0 1)
	fi
	for ((round = 1; round <= runs; round++)); do
		results="$WORK/lua_c/bench_$round.txt"
		write_client_cfg "$WORK/lua_c/bench_$round.lua" 1 $((PORT_BASE + 30)) \
			"$java_nodes $(node_entry lua_s 1 "$lport" "" 0)" \
			"$(target_entry "Lua→Lua" lua_s 1 "" 0 0) $java_targets" \
			interop_bench_m "count = $count, size = $size, runs = 1, out = \"$results\""
		start_lua_node "$WORK/lua_c" "bench_$round.lua"
		wait_for "$results" '^DONE' 600 "$WORK/lua_c/bench_$round.out" || echo "FAIL bench: no DONE in $results (log: $WORK/lua_c/bench_$round.out)"
		stop_last
		grep '^BENCH .* run ' "$results" | sed "s/ run 1 / run $round /" || true
		if [ $HAVE_JAVA = 1 ]; then
			$NICE java -Xmx512m -XX:+UseParallelGC -Dio.netty.leakDetection.level=disabled -cp "$CLASSPATH_JAVA" "$JAVA_NODE" \
				--svr-name java_c --svr-id 1 --bench "$count,$size,1" --lua "lua_s:1@127.0.0.1:$lport" \
				>"$WORK/java_bench_calls_$round.out" 2>&1 || true
			grep '^BENCH .* run ' "$WORK/java_bench_calls_$round.out" | sed "s/ run 1 / run $round /" \
				|| echo "FAIL bench Java→Lua: see $WORK/java_bench_calls_$round.out"
		fi
	done
	cleanup
}

build_skynet
build_java
prepare_dirs
out="$WORK/summary.txt"
if [ "$WHAT" = bench ]; then
	run_bench > >(tee "$out")
	sleep 0.5
	# medians over the rounds, and each against Lua→Lua
	awk '/^BENCH .* run .* calls\/s/ && !/FAIL/ { n[$2]++; r[$2, n[$2]] = $9 }
		END {
			for (l in n) {
				for (i = 1; i <= n[l]; i++) v[i] = r[l, i]
				for (i = 1; i <= n[l]; i++) for (j = i + 1; j <= n[l]; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
				m[l] = n[l] % 2 ? v[(n[l] + 1) / 2] : (v[n[l] / 2] + v[n[l] / 2 + 1]) / 2
				printf "MEDIAN %s %.0f calls/s over %d runs\n", l, m[l], n[l]
			}
			if (m["Lua→Lua"] > 0) for (l in m) if (l != "Lua→Lua")
				printf "RATIO %s / Lua→Lua = %.2f\n", l, m[l] / m["Lua→Lua"]
		}' "$out" | sort | tee -a "$out"
	! grep -q 'FAIL' "$out"
else
	run_checks > >(tee "$out")
	sleep 0.5
	pass=$(grep -c '^PASS' "$out" || true); fail=$(grep -c '^FAIL' "$out" || true); skip=$(grep -c '^SKIP' "$out" || true)
	echo "SUMMARY: $pass passed, $fail failed, $skip skipped (output and logs in $WORK)"
	[ "$fail" -eq 0 ]
fi
