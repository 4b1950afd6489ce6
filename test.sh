#!/usr/bin/env bash
# Runs KeyInfra's whole test suite on a fresh Debian machine with the .NET SDK:
# restores, builds, provisions the services the tests need, runs every test project,
# and prints the totals as its last line ("N passed, N failed[, N skipped]").
# In CI (CI=true) a skipped test is a failure: a test that cannot reach its service must not pass quietly.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

configuration="${CONFIGURATION:-Release}"
results="$(mktemp -d "${TMPDIR:-/tmp}/keyinfra-tests.XXXXXX")"
# shellcheck source=tests/provision-postgresql.sh
source tests/provision-postgresql.sh
# shellcheck source=tests/provision-softhsm.sh
source tests/provision-softhsm.sh
# shellcheck source=tests/provision-moto.sh
source tests/provision-moto.sh
# The test server is stopped, the SoftHSM2 tokens deleted and their folders removed however the run ends (failed tests,
# a failed build, Ctrl-C).
cleanup() { keyinfra_pg_stop; keyinfra_hsm_stop; keyinfra_moto_stop; rm -rf "$results"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# A build that fails still ends with the totals line, so whoever reads only the last line sees the failure.
if ! dotnet tool restore >/dev/null || ! dotnet build KeyInfra.sln -c "$configuration" -nologo -v:q -clp:ErrorsOnly; then
    echo "The build failed; no test ran."
    echo "0 passed, 1 failed"
    exit 1
fi

# A server that cannot be provisioned leaves its tests unable to connect: they fail in CI and are reported
# as skipped (inconclusive, with the reason) elsewhere.
keyinfra_pg_start || echo "Warning: the PostgreSQL test server could not be started; the PostgreSQL tests cannot reach it." >&2
# SOFTHSM2_CONF must be in the environment before the test processes start: SoftHSM2 reads it with getenv when loaded.
keyinfra_hsm_start || echo "Warning: the SoftHSM2 tokens could not be provisioned; the PKCS#11 tests cannot load the module." >&2
# The AWS emulator (moto) on loopback; the AWS key source tests switch its signature checks on.
keyinfra_moto_start || echo "Warning: the AWS emulator (moto) could not be started; the AWS key source tests cannot reach it." >&2

# The certificate tests check what KeyInfra issues with the openssl command-line tool (Debian's openssl package).
if ! command -v openssl >/dev/null 2>&1; then
    echo "openssl not found: installing Debian's openssl package."
    sudo=""
    [[ $(id -u) -ne 0 ]] && sudo="sudo -n"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null \
        && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openssl >/dev/null \
        || echo "Warning: openssl did not install; the certificate tests cannot check what is issued." >&2
fi

status=0
dotnet test --solution KeyInfra.sln -c "$configuration" --no-build \
    --report-trx --results-directory "$results" --no-progress --output Normal || status=$?

# Totals over every test project, from the TRX reports.
passed=0 failed=0 skipped=0
shopt -s nullglob
value() { local n; n=$(echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"); echo "${n:-0}"; }
for trx in "$results"/*.trx; do
    # A report without counters (a test host that died) adds nothing here; the exit status below catches it.
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1 || true)
    passed=$((passed + $(value passed)))
    failed=$((failed + $(value failed) + $(value error) + $(value timeout) + $(value aborted)))
    skipped=$((skipped + $(value notExecuted) + $(value inconclusive)))
done

# One more test: the packages as a new user gets them (tests/package-smoke.sh): packed into a local feed, the README's
# quick start built and run in a fresh console app outside the repository, the docs' C# samples built.
if bash tests/package-smoke.sh "$configuration" >"$results/package-smoke.log" 2>&1; then
    passed=$((passed + 1))
else
    echo "Failed test: package smoke (tests/package-smoke.sh): the README quick start or a docs sample does not build or run from the packed packages." >&2
    tail -n 40 "$results/package-smoke.log" >&2
    failed=$((failed + 1))
    status=1
fi

if [[ "${CI:-}" == "true" && $skipped -gt 0 ]]; then
    echo "CI: $skipped skipped test(s) count as failures (a test that needs a service must reach it)."
    failed=$((failed + skipped))
    skipped=0
    status=1
fi
if [[ $passed -eq 0 && $failed -eq 0 ]]; then
    echo "No test ran." >&2
    status=1
fi
if [[ $status -ne 0 && $failed -eq 0 ]]; then
    # dotnet test failed without a failed test in any report: a test host crashed or a project did not run.
    echo "The test run failed (exit code $status) without reporting a failed test; counted as one failure." >&2
    failed=1
fi

summary="$passed passed, $failed failed"
[[ $skipped -gt 0 ]] && summary+=", $skipped skipped"
echo "$summary"
if [[ $failed -gt 0 ]]; then exit 1; fi
exit "$status"
