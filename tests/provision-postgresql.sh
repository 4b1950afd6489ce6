# Sourced by test.sh: provisions throwaway PostgreSQL servers for KeyInfra.PostgreSql.Tests and the sample's tests.
#
# keyinfra_pg_start: installs Debian's postgresql package if no server binaries are found, creates a cluster
# in a temp folder (scram-sha-256 only, TLS on with a CA and server certificate made for this run), starts it
# on a free loopback port, creates an owner role (owns the database and runs the migrations) and an
# application role (no superuser, no BYPASSRLS, not the tables' owner), and exports what the tests need:
#   KEYINFRA_TEST_PG_ADMIN / _OWNER / _APP  connection strings (database "keyinfra"; tests create their own)
#   KEYINFRA_TEST_PG_HOST / _PORT           127.0.0.1 and the port
#   KEYINFRA_TEST_PG_ALT_HOST               127.0.0.2: the same server, at an address its certificate does not name
#   KEYINFRA_TEST_PG_CA / _WRONG_CA         the run's CA certificate, and an unrelated CA
#   KEYINFRA_TEST_PG_CTL                    a pg_ctl wrapper ("$KEYINFRA_TEST_PG_CTL restart")
#   KEYINFRA_TEST_PG_RESTARTABLE_ADMIN / _OWNER / _APP / _CTL
#                                           a second server, made the same way, for the test that stops and starts one
# keyinfra_pg_stop: stops the servers and removes the folder; test.sh calls it from its EXIT trap.
#
# Outside test.sh: `source tests/provision-postgresql.sh && keyinfra_pg_start` gives a shell a server for
# `dotnet test --project tests/KeyInfra.PostgreSql.Tests`; `keyinfra_pg_stop` ends it.

keyinfra_pg_dir=""
keyinfra_pg_policy=""   # a policy-rc.d this script wrote, removed again even if the install is interrupted

keyinfra_pg_bindir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [[ -n "$dir" && -x "$dir/initdb" ]] && echo "$dir"
}

keyinfra_pg_install() {
    echo "PostgreSQL server binaries not found: installing Debian's postgresql package."
    local sudo=""
    [[ $(id -u) -ne 0 ]] && sudo="sudo -n"
    # A policy-rc.d that says "no" keeps the package from starting the distribution's own cluster: this script
    # runs a throwaway one of its own. An existing policy is left alone.
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        keyinfra_pg_policy=/usr/sbin/policy-rc.d
        printf '#!/bin/sh\nexit 101\n' | $sudo tee "$keyinfra_pg_policy" >/dev/null && $sudo chmod 755 "$keyinfra_pg_policy"
    fi
    local status=0
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null \
        && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql openssl >/dev/null \
        || status=$?
    keyinfra_pg_remove_policy
    return $status
}

keyinfra_pg_remove_policy() {
    if [[ -n "$keyinfra_pg_policy" ]]; then
        if [[ $(id -u) -eq 0 ]]; then rm -f "$keyinfra_pg_policy"; else sudo -n rm -f "$keyinfra_pg_policy"; fi
        keyinfra_pg_policy=""
    fi
}

# Runs a command as the server's user: initdb and postgres refuse to run as root.
keyinfra_pg_as_server_user() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

keyinfra_pg_free_port() {
    local port
    for _ in $(seq 1 50); do
        port=$((20000 + RANDOM % 20000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    return 1
}

keyinfra_pg_start() {
    local bindir
    bindir=$(keyinfra_pg_bindir) || true
    if [[ -z "$bindir" ]]; then
        keyinfra_pg_install
        bindir=$(keyinfra_pg_bindir) || { echo "PostgreSQL did not install." >&2; return 1; }
    fi

    keyinfra_pg_dir="$(mktemp -d "${TMPDIR:-/tmp}/keyinfra-pg.XXXXXX")"
    local dir="$keyinfra_pg_dir" port
    port=$(keyinfra_pg_free_port) || { echo "No free loopback port for PostgreSQL." >&2; return 1; }
    chmod 755 "$dir"

    # TLS: a CA made for this run, a server certificate for localhost/127.0.0.1 only, and an unrelated CA
    # the tests use to prove a wrong CA is refused.
    (
        cd "$dir" || exit 1
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=KeyInfra test CA" \
            -keyout ca.key -out ca.crt -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=KeyInfra wrong CA" \
            -keyout wrong-ca.key -out wrong-ca.crt -addext "basicConstraints=critical,CA:TRUE" 2>/dev/null
        openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr 2>/dev/null
        printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' > server.ext
        openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile server.ext -out server.crt 2>/dev/null
        rm -f ca.key wrong-ca.key server.csr server.ext ca.srl
    ) || { echo "openssl could not make the test certificates." >&2; return 1; }
    if [[ $(id -u) -eq 0 ]]; then
        chown postgres: "$dir/server.key" "$dir/server.crt"
    fi
    chmod 600 "$dir/server.key"

    keyinfra_pg_cluster "$bindir" "$dir" "$port" KEYINFRA_TEST_PG "127.0.0.1,127.0.0.2" 300 64MB || return 1
    export KEYINFRA_TEST_PG_HOST=127.0.0.1 KEYINFRA_TEST_PG_ALT_HOST=127.0.0.2 KEYINFRA_TEST_PG_PORT="$port"
    export KEYINFRA_TEST_PG_CA="$dir/ca.crt" KEYINFRA_TEST_PG_WRONG_CA="$dir/wrong-ca.crt"

    # A second server for the test that stops and starts one: test processes run at the same time, and stopping the
    # server they share would fail whatever the others were doing then.
    local restartable_port
    restartable_port=$(keyinfra_pg_free_port) || { echo "No free loopback port for PostgreSQL." >&2; return 1; }
    mkdir "$dir/restartable"
    chmod 755 "$dir/restartable"
    keyinfra_pg_cluster "$bindir" "$dir/restartable" "$restartable_port" KEYINFRA_TEST_PG_RESTARTABLE 127.0.0.1 50 16MB || return 1
    echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') test servers on 127.0.0.1:$port and (restart test) 127.0.0.1:$restartable_port (TLS, scram-sha-256)."
}

# keyinfra_pg_cluster BINDIR DIR PORT PREFIX LISTEN MAX_CONNECTIONS SHARED_BUFFERS: a cluster in DIR/data, started on
# PORT with the run's server certificate (in $keyinfra_pg_dir), its pg_ctl wrapper DIR/pg_ctl.sh, the admin, owner and
# application roles and a database "keyinfra"; exports PREFIX_ADMIN / _OWNER / _APP (connection strings) and PREFIX_CTL.
keyinfra_pg_cluster() {
    local bindir="$1" dir="$2" port="$3" prefix="$4" listen="$5" max_connections="$6" shared_buffers="$7"
    local certs="$keyinfra_pg_dir" admin_password owner_password app_password
    admin_password=$(openssl rand -hex 16)
    owner_password=$(openssl rand -hex 16)
    app_password=$(openssl rand -hex 16)
    printf '%s\n' "$admin_password" > "$dir/admin.pw"
    mkdir "$dir/data" "$dir/run"
    if [[ $(id -u) -eq 0 ]]; then
        chown -R postgres: "$dir/data" "$dir/run" "$dir/admin.pw"
    fi
    chmod 600 "$dir/admin.pw"
    chmod 700 "$dir/data"

    keyinfra_pg_as_server_user "$bindir/initdb" -D "$dir/data" -U keyinfra_admin --pwfile="$dir/admin.pw" \
        --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; return 1; }
    rm -f "$dir/admin.pw"

    cat >> "$dir/data/postgresql.conf" <<EOF
listen_addresses = '$listen'
port = $port
unix_socket_directories = '$dir/run'
password_encryption = scram-sha-256
ssl = on
ssl_cert_file = '$certs/server.crt'
ssl_key_file = '$certs/server.key'
ssl_min_protocol_version = 'TLSv1.2'
max_connections = $max_connections
fsync = on
shared_buffers = $shared_buffers
log_min_messages = warning
EOF
    # scram-sha-256 everywhere; plain TCP is allowed so the tests can prove SslMode.Disable.
    cat > "$dir/data/pg_hba.conf" <<EOF
local all all scram-sha-256
host  all all 127.0.0.0/8 scram-sha-256
EOF

    cat > "$dir/pg_ctl.sh" <<EOF
#!/usr/bin/env bash
# pg_ctl for a KeyInfra test server, as the server's user: "\$0 restart", "\$0 stop -m immediate", "\$0 start".
cmd=("$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 "\$@")
if [[ \$(id -u) -eq 0 ]]; then exec runuser -u postgres -- "\${cmd[@]}"; else exec "\${cmd[@]}"; fi
EOF
    chmod 755 "$dir/pg_ctl.sh"
    touch "$dir/server.log"
    [[ $(id -u) -eq 0 ]] && chown postgres: "$dir/server.log"
    "$dir/pg_ctl.sh" start >/dev/null || { cat "$dir/server.log" >&2; return 1; }

    PGPASSWORD="$admin_password" "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U keyinfra_admin -d postgres >/dev/null <<EOF
CREATE ROLE keyinfra_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD '$owner_password';
CREATE ROLE keyinfra_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD '$app_password';
CREATE DATABASE keyinfra OWNER keyinfra_owner;
EOF
    [[ $? -eq 0 ]] || { echo "Could not create the test roles." >&2; return 1; }

    local common="Host=127.0.0.1;Port=$port;Database=keyinfra;SSL Mode=VerifyFull;Root Certificate=$certs/ca.crt"
    export "${prefix}_ADMIN=$common;Username=keyinfra_admin;Password=$admin_password"
    export "${prefix}_OWNER=$common;Username=keyinfra_owner;Password=$owner_password"
    export "${prefix}_APP=$common;Username=keyinfra_app;Password=$app_password"
    export "${prefix}_CTL=$dir/pg_ctl.sh"
}

keyinfra_pg_stop() {
    keyinfra_pg_remove_policy
    [[ -n "$keyinfra_pg_dir" && -d "$keyinfra_pg_dir" ]] || return 0
    local cluster
    for cluster in "$keyinfra_pg_dir/restartable" "$keyinfra_pg_dir"; do
        if [[ -f "$cluster/data/postmaster.pid" ]]; then
            "$cluster/pg_ctl.sh" stop -m immediate >/dev/null 2>&1 || true
        fi
    done
    rm -rf "$keyinfra_pg_dir"
    keyinfra_pg_dir=""
}
