# shellcheck shell=bash
# Provisions the AWS emulator the AWS key source tests run against: moto (its `moto_server` command, from the
# machine's Python), on a free loopback port, with a state of its own for the run.
#
# keyinfra_moto_start: finds moto_server (on PATH, or `python3 -m moto.server`), starts it on 127.0.0.1 and exports
#   KEYINFRA_TEST_MOTO_URL   the emulator's address (http://127.0.0.1:<port>)
# It fails, saying so, when moto is not installed: the Python package index may not be reachable, so nothing is
# installed here. The tests turn moto's signature and IAM checks on themselves (POST /moto-api/reset-auth).
# keyinfra_moto_stop: stops the server and unsets the variable; test.sh calls it from its EXIT trap.
#
# Outside test.sh: `source tests/provision-moto.sh && keyinfra_moto_start` gives a shell an emulator for
# `dotnet test --project tests/KeyInfra.KeySources.Aws.Tests`; `keyinfra_moto_stop` stops it.

keyinfra_moto_pid=""
keyinfra_moto_log=""

keyinfra_moto_command() {
    if command -v moto_server >/dev/null 2>&1 && moto_server --help >/dev/null 2>&1; then
        echo "moto_server"
    elif command -v python3 >/dev/null 2>&1 && python3 -c "import moto.server" >/dev/null 2>&1; then
        echo "python3 -m moto.server"
    else
        return 1
    fi
}

keyinfra_moto_start() {
    local command port
    if ! command=$(keyinfra_moto_command); then
        echo "moto (the AWS emulator) is not installed: neither moto_server nor python3's moto module was found. Install it with 'pip install \"moto[server]\"'." >&2
        return 1
    fi

    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
    keyinfra_moto_log="$(mktemp "${TMPDIR:-/tmp}/keyinfra-moto.XXXXXX.log")"
    # No AWS settings from the environment may reach it, and it never needs the network.
    env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN -u AWS_PROFILE AWS_EC2_METADATA_DISABLED=true \
        $command -H 127.0.0.1 -p "$port" >"$keyinfra_moto_log" 2>&1 &
    keyinfra_moto_pid=$!
    local i
    for i in $(seq 1 100); do
        if python3 -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$port/moto-api/', timeout=1)" >/dev/null 2>&1; then
            export KEYINFRA_TEST_MOTO_URL="http://127.0.0.1:$port"
            return 0
        fi
        if ! kill -0 "$keyinfra_moto_pid" 2>/dev/null; then
            break
        fi
        sleep 0.2
    done

    echo "moto did not start on 127.0.0.1:$port:" >&2
    tail -n 20 "$keyinfra_moto_log" >&2
    keyinfra_moto_stop
    return 1
}

keyinfra_moto_stop() {
    if [[ -n "$keyinfra_moto_pid" ]]; then
        kill "$keyinfra_moto_pid" 2>/dev/null || true
        wait "$keyinfra_moto_pid" 2>/dev/null || true
        keyinfra_moto_pid=""
    fi
    if [[ -n "$keyinfra_moto_log" ]]; then
        rm -f "$keyinfra_moto_log"
        keyinfra_moto_log=""
    fi
    unset KEYINFRA_TEST_MOTO_URL
}
