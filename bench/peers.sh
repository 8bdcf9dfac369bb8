#!/usr/bin/env bash
# peers.sh: measure cgip and the servers a user would otherwise pick (moto's server and
# cognito-local), plus the ceiling (the reference endpoint) and a bare {} endpoint, one after
# the other on this machine with the same concurrency and duration, and print one Markdown
# table with ratios (cgip/moto, cgip as a percentage of the ceiling).
#
#   bench/peers.sh                 # defaults: 16 connections, 10 s per operation per target
#   bench/peers.sh -d 5s -c 32     # any flag of `go run ./bench` applies to every target
#   CGIP_BIN=/path/to/cgip bench/peers.sh   # measure a prebuilt cgip instead of ./cmd/cgip
#   TARGETS="cgip moto" bench/peers.sh      # a subset
#
# cognito-local is installed with npm into bench/.peers (gitignored) on first use; moto's
# server must be on PATH (pip install 'moto[server]'). A target that is not available is
# skipped and said so. Results (JSON and Markdown per target, and the table) stay in a
# temporary directory whose name is printed at the end.
set -euo pipefail

cd "$(dirname "$0")/.."
export GOTOOLCHAIN=local
out=$(mktemp -d "${TMPDIR:-/tmp}/cgip-peers-XXXXXX")
targets=${TARGETS:-"reference bare cgip moto cognito-local"}
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
start_time=$(date +%s)

echo "peers.sh: results in $out" >&2
go build -o "$out/bench" ./bench
cgip_bin=${CGIP_BIN:-}
if [[ -z "$cgip_bin" ]]; then
	go build -o "$out/cgip" ./cmd/cgip
	cgip_bin="$out/cgip"
fi

skipped=()
available() {
	case "$1" in
	moto)
		command -v moto_server >/dev/null 2>&1 || { skipped+=("moto: moto_server is not on PATH (pip install 'moto[server]')"); return 1; }
		;;
	cognito-local)
		if [[ ! -f bench/.peers/node_modules/cognito-local/lib/bin/start.js ]]; then
			echo "peers.sh: installing cognito-local 5.3.0 into bench/.peers" >&2
			mkdir -p bench/.peers
			if ! npm install --prefix bench/.peers --no-audit --no-fund --loglevel=error cognito-local@5.3.0 >&2; then
				skipped+=("cognito-local: npm install cognito-local failed")
				return 1
			fi
		fi
		;;
	esac
	return 0
}

files=()
for t in $targets; do
	available "$t" || continue
	if "$out/bench" -start "$t" -cgip-bin "$cgip_bin" -json "$out/$t.json" "$@" >"$out/$t.md"; then
		:
	else
		skipped+=("$t: the run failed (see the lines above)")
	fi
done

# The table lists cgip and its peers first, then the ceiling.
for t in cgip moto cognito-local reference bare; do
	[[ -f "$out/$t.json" ]] && files+=("$out/$t.json")
done
if [[ ${#files[@]} -eq 0 ]]; then
	echo "peers.sh: no target could be measured" >&2
	exit 1
fi
cmd="bench/peers.sh${*:+ $*}"
"$out/bench" -table -command "$cmd" "${files[@]}" | tee "$out/peers.md"
{
	for s in "${skipped[@]+"${skipped[@]}"}"; do
		echo "- skipped $s"
	done
	echo
	echo "Load average before the run: $load_before (other processes share these cores). The whole run took $(($(date +%s) - start_time)) s."
} | tee -a "$out/peers.md"
echo "peers.sh: results in $out (per-target reports: $out/<target>.md)" >&2
