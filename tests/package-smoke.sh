#!/usr/bin/env bash
# The packages as a new user gets them: packs every package under src/ into a local folder feed, creates a fresh
# console app outside the repository that references them from that feed, builds the README's C# quick start as
# its Program.cs and runs it (it must print "Valid"), then builds every C# sample of docs/ against the same packages.
# Exits non-zero, saying which step failed, if anything does. ./test.sh runs it after the test projects (it expects
# the solution to be built in $1, default Release); it can also be run alone after a build.
#
# Doc samples: every ```csharp block of README.md and docs/*.md is compiled. A block that uses `args` is a whole
# program; any other block is a fragment that may use these names, as a host's code would have them:
#   services (IServiceCollection), builder (HostApplicationBuilder), host (IHost), keyStore (IKeyStore),
#   signer (ISigner), verifier (IVerifier), cancellationToken (CancellationToken), app (WebApplication: ASP.NET Core)
# The samples project also references ASP.NET Core and the OpenTelemetry packages docs/operations.md names (a host's own
# packages, not KeyInfra's; restored from the NuGet cache once they are in it).
# `using` directives at the top of a block are kept; each block is compiled as the body of its own method, except the
# types it declares (from its first line that starts a class, record, struct or interface declaration in column 0 on),
# which go beside that method, in a namespace of the block's own.
# A block fenced as ```csharp sketch (code of a package that does not exist yet, shown to explain a design) is not
# compiled; every other C# block must be real, working code.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
configuration="${1:-${CONFIGURATION:-Release}}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

work="$(mktemp -d "${TMPDIR:-/tmp}/keyinfra-package-smoke.XXXXXX")"
# KEYINFRA_SMOKE_KEEP=1 keeps the apps and the feed for a look after a failure.
if [[ "${KEYINFRA_SMOKE_KEEP:-}" == "1" ]]; then trap 'echo "package smoke: kept $work" >&2' EXIT; else trap 'rm -rf "$work"' EXIT; fi
feed="$work/feed"
mkdir -p "$feed"

step() { echo "package smoke: $*"; }
fail() { echo "package smoke FAILED: $*" >&2; exit 1; }

# A version of its own, so no copy of an earlier pack in a NuGet cache can stand in for these packages.
version="0.0.0-smoke.$(date -u +%Y%m%d%H%M%S).$$"
pinned() { sed -n "s/.*PackageVersion Include=\"$1\" Version=\"\([^\"]*\)\".*/\1/p" "$repo/Directory.Packages.props"; }
hosting_version="$(pinned Microsoft.Extensions.Hosting)"
# docs/operations.md wires OpenTelemetry; KeyInfra does not pin it, so its version is this script's.
opentelemetry_version="1.20.1"
[[ -n "$hosting_version" ]] || fail "Directory.Packages.props pins no Microsoft.Extensions.Hosting version"

step "packing src/* as $version"
for project in "$repo"/src/*/*.csproj; do
    dotnet pack "$project" -c "$configuration" --no-build -nologo -v:q -o "$feed" -p:PackageVersion="$version" >"$work/pack.log" 2>&1 \
        || { cat "$work/pack.log" >&2; fail "dotnet pack $(basename "$project") (is the solution built in $configuration?)"; }
done

# The app's own nuget.config: the repository's sources, plus the local feed that alone serves KeyInfra.*. Restores
# come from the global packages folder where they can (offline), into a packages folder of the run's own so the
# smoke packages do not stay behind.
global_packages="$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: //p')"
sed -e "s#<clear />#<clear />\n    <add key=\"keyinfra-local\" value=\"$feed\" />#" \
    -e "s#<packageSourceMapping>#<packageSourceMapping>\n    <packageSource key=\"keyinfra-local\"><package pattern=\"KeyInfra.*\" /></packageSource>#" \
    -e "s#</configuration>#  <config><add key=\"globalPackagesFolder\" value=\"$work/packages\" /></config>\n  <fallbackPackageFolders><add key=\"cache\" value=\"$global_packages\" /></fallbackPackageFolders>\n</configuration>#" \
    "$repo/nuget.config" >"$work/nuget.config"
grep -q keyinfra-local "$work/nuget.config" || fail "could not add the local feed to a copy of nuget.config"

# The number of ```csharp blocks in a Markdown file, and block $2 (from 1) of file $1.
csharp_block_count() { grep -c '^[[:space:]]*```csharp[[:space:]]*$' "$1" || true; }
csharp_block() {
    awk -v want="$2" '/^[ \t]*```csharp[ \t]*$/ { n++; inside = 1; next }
        inside && /^[ \t]*```[ \t]*$/ { inside = 0; next }
        inside && n == want { print }' "$1"
}

# Adds package $2 at version $3 to project $1. Tried three times: the SDK's command has failed once in CI without a
# repeatable cause, and its output is shown when it fails for good.
add_package() {
    local attempt
    for attempt in 1 2 3; do
        if dotnet add "$1" package "$2" --version "$3" --no-restore >"$work/add.log" 2>&1; then
            return 0
        fi
        sleep 2
    done
    cat "$work/add.log" >&2
    fail "dotnet add package $2"
}

# A new console app ($1) referencing the KeyInfra packages named after it from the feed, and the generic host.
new_app() {
    local dir="$1"
    shift
    dotnet new console -o "$dir" --no-restore >"$work/new.log" 2>&1 || { cat "$work/new.log" >&2; fail "dotnet new console"; }
    for package in "$@"; do
        add_package "$dir" "$package" "$version"
    done
    add_package "$dir" Microsoft.Extensions.Hosting "$hosting_version"
}

# 1. The README's quick start, built and run as a new user would.
step "building the README quick start in a fresh console app"
app="$work/QuickStart"
new_app "$app" KeyInfra.Core KeyInfra.Sqlite
csharp_block "$repo/README.md" 1 >"$app/Program.cs"
[[ -s "$app/Program.cs" ]] || fail "README.md has no csharp block"
dotnet build "$app" -nologo -v:q -clp:ErrorsOnly >"$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; fail "the README quick start does not build from the packed packages"; }

step "running it"
output="$(cd "$app" && KEYINFRA_MASTER_KEY="$(head -c 32 /dev/urandom | base64)" dotnet run --no-build 2>&1)" \
    || { echo "$output" >&2; fail "the README quick start exited with an error"; }
grep -qx Valid <<<"$output" || { echo "$output" >&2; fail "the README quick start did not print Valid"; }

step "the README quick start built and printed Valid"

# 2. Every C# sample of the documentation, compiled against the same packages. Each block becomes a method in a file
# of its own (its usings first), with #line pointing compiler errors at the Markdown file and line.
step "building the C# samples of README.md, docs/ and the package READMEs"
samples="$work/DocSamples"
new_app "$samples" KeyInfra.Core KeyInfra.Sqlite KeyInfra.PostgreSql KeyInfra.Pkcs11 KeyInfra.KeySources.Vault KeyInfra.KeySources.Aws KeyInfra.KeySources.Azure
for package in OpenTelemetry.Extensions.Hosting OpenTelemetry.Exporter.OpenTelemetryProtocol; do
    add_package "$samples" "$package" "$opentelemetry_version"
done
sed -i 's#</Project>#  <ItemGroup><FrameworkReference Include="Microsoft.AspNetCore.App" /></ItemGroup>\n</Project>#' "$samples/DocSamples.csproj"
count=0
for markdown in "$repo"/README.md "$repo"/docs/*.md "$repo"/src/*/README.md; do
    relative="${markdown#"$repo"/}"
    blocks="$(csharp_block_count "$markdown")"
    for ((n = 1; n <= blocks; n++)); do
        count=$((count + 1))
        # The block's first line in the Markdown file, for #line.
        first="$(awk -v want="$n" '/^[ \t]*```csharp[ \t]*$/ { if (++k == want) { print NR + 1; exit } }' "$markdown")"
        block="$(csharp_block "$markdown" "$n")"
        usings="$(awk '!done && /^using [A-Za-z0-9_.= ]+;[ \t]*(\/\/.*)?$/ { print; next } !done && /^[ \t]*$/ { next } { done = 1 }' <<<"$block")"
        skipped="$(awk '!done && (/^using [A-Za-z0-9_.= ]+;[ \t]*(\/\/.*)?$/ || /^[ \t]*$/) { n++; next } { done = 1 } END { print n + 0 }' <<<"$block")"
        rest="$(tail -n +"$((skipped + 1))" <<<"$block")"
        types_at="$(grep -nE '^(public |internal |file )?(sealed |static |abstract |partial )*(class|record|struct|interface) ' <<<"$rest" | head -n 1 | cut -d: -f1 || true)"
        if [[ -n "$types_at" ]]; then
            body="$(head -n "$((types_at - 1))" <<<"$rest")"
            types="$(tail -n +"$types_at" <<<"$rest")"
        else
            body="$rest"
            types=""
        fi
        if grep -qw args <<<"$body"; then
            parameters="string[] args"
        else
            parameters="IServiceCollection services, HostApplicationBuilder builder, IHost host, KeyInfra.Keys.IKeyStore keyStore, KeyInfra.Signing.ISigner signer, KeyInfra.Verification.IVerifier verifier, CancellationToken cancellationToken, Microsoft.AspNetCore.Builder.WebApplication app"
        fi
        {
            echo "$usings"
            echo "using Microsoft.Extensions.Configuration;"
            echo "using Microsoft.Extensions.DependencyInjection;"
            echo "using Microsoft.Extensions.Hosting;"
            echo "#pragma warning disable CS1998, CS0168, CS0219, CS8321"
            echo "namespace DocSamples.Sample$count"
            echo "{"
            echo "internal static class Sample"
            echo "{"
            echo "    // $relative, C# block $n"
            echo "    public static async Task Sample$count($parameters)"
            echo "    {"
            echo "#line $((first + skipped)) \"$relative\""
            echo "$body"
            echo "#line default"
            echo "    }"
            echo "}"
            if [[ -n "$types" ]]; then
                echo "#line $((first + skipped + types_at - 1)) \"$relative\""
                echo "$types"
                echo "#line default"
            fi
            echo "}"
        } >"$samples/Sample$count.cs"
    done
done
(( count > 0 )) || fail "no C# samples found"
dotnet build "$samples" -nologo -v:q -clp:ErrorsOnly >"$work/samples.log" 2>&1 \
    || { grep -E 'error' "$work/samples.log" | sort -u >&2; fail "a C# sample of the documentation does not build from the packed packages (file and line above)"; }
step "$count C# samples of the documentation built"
