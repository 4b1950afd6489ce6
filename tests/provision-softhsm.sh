# Sourced by test.sh: provisions SoftHSM2 tokens for KeyInfra.Pkcs11.Tests.
#
# keyinfra_hsm_start: installs Debian's softhsm2 and opensc packages (opensc brings pkcs11-tool) when they are missing,
# writes a SoftHSM2 configuration whose token folder is in a temp folder, initialises the tokens the tests use (each
# with PINs made for this run), and exports what the tests need:
#   SOFTHSM2_CONF                      the configuration (SoftHSM2 reads it with getenv when it is loaded, so it must be in
#                                      the environment before the test process starts)
#   KEYINFRA_PKCS11_MODULE             the absolute path of libsofthsm2.so
#   KEYINFRA_TEST_HSM_TOKEN / _PIN     the main token's label and user PIN (generation, signing, concurrency, adoption)
#   KEYINFRA_TEST_HSM_SO_PIN           the security officer PIN of every token of the run
#   KEYINFRA_TEST_HSM_TOKEN2 / _PIN2   a second token (a key row pointed at another token, PINs swapped between slots)
#   KEYINFRA_TEST_HSM_CA_TOKEN / _CA_PIN   the certificate authorities' token: SoftHSM2 2.6.1's file object store can fail
#                                      (CKR_GENERAL_ERROR) when two threads create objects in one token at once, and the CA
#                                      tests generate RSA keys while other classes generate in the main token
#   KEYINFRA_TEST_HSM_NO_USER_PIN_TOKEN
#                                      a token initialised without a user PIN (pkcs11-tool --init-token, no --init-pin):
#                                      C_Login answers CKR_USER_PIN_NOT_INITIALIZED, the one "this PIN cannot log in"
#                                      state SoftHSM2 can be put in (it has no lockout, so no CKR_PIN_LOCKED)
#   KEYINFRA_TEST_HSM_REMOVABLE_TOKEN / _REMOVABLE_PIN
#                                      a token a test deletes while its session pool is open (token removal)
#   KEYINFRA_TEST_HSM_RESTRICTED_MODULE / _CONF / _TOKEN / _PIN
#                                      a copy of libsofthsm2.so with a configuration of its own (tokens in another folder)
#                                      that turns Ed25519 and RSA-PSS off: a token that lacks mechanisms. The test that
#                                      uses it points SOFTHSM2_CONF at that configuration while it loads the copy.
#   KEYINFRA_TEST_HSM_DIR              the temp folder (configuration and tokens)
#   KEYINFRA_SOFTHSM2_UTIL / KEYINFRA_PKCS11_TOOL  the tools' paths
# Tests find tokens by label, never by slot number: SoftHSM2 gives slots random ids.
# keyinfra_hsm_stop: removes the folder and unsets the variables; test.sh calls it from its EXIT trap.
#
# Outside test.sh: `source tests/provision-softhsm.sh && keyinfra_hsm_start` gives a shell tokens for
# `dotnet test --project tests/KeyInfra.Pkcs11.Tests`; `keyinfra_hsm_stop` removes them.

keyinfra_hsm_dir=""

keyinfra_hsm_module_path() {
    local candidate
    for candidate in /usr/lib/softhsm/libsofthsm2.so /usr/lib/*-linux-gnu/softhsm/libsofthsm2.so /usr/local/lib/softhsm/libsofthsm2.so; do
        if [[ -f "$candidate" ]]; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

keyinfra_hsm_install() {
    echo "SoftHSM2 or pkcs11-tool not found: installing Debian's softhsm2 and opensc packages."
    local sudo=""
    [[ $(id -u) -ne 0 ]] && sudo="sudo -n"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null \
        && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends softhsm2 opensc >/dev/null
}

# A PIN of this run only: 12 digits, as many tokens' PIN pads want.
keyinfra_hsm_random_pin() { od -An -N8 -tu8 /dev/urandom | tr -dc 0-9 | cut -c1-12; }

# Initialises a token with a label of its own in the next free slot.
keyinfra_hsm_init_token() {
    local label="$1" pin="$2"
    softhsm2-util --init-token --free --label "$label" --so-pin "$KEYINFRA_TEST_HSM_SO_PIN" --pin "$pin" >/dev/null \
        || { echo "softhsm2-util could not initialise token '$label'." >&2; return 1; }
}

# Initialises a token in the next free slot with a security officer PIN only: its user PIN is never set.
keyinfra_hsm_init_token_without_user_pin() {
    local label="$1" module="$2" slot
    slot=$(softhsm2-util --show-slots | awk '/^Slot [0-9]+/ { slot = $2 } /Initialized: *no/ { print slot; exit }')
    [[ -n "$slot" ]] && pkcs11-tool --module "$module" --slot "$slot" --init-token --label "$label" --so-pin "$KEYINFRA_TEST_HSM_SO_PIN" >/dev/null 2>&1 \
        || { echo "pkcs11-tool could not initialise token '$label' without a user PIN." >&2; return 1; }
}

keyinfra_hsm_start() {
    if ! command -v softhsm2-util >/dev/null 2>&1 || ! command -v pkcs11-tool >/dev/null 2>&1 || ! keyinfra_hsm_module_path >/dev/null; then
        keyinfra_hsm_install || { echo "softhsm2 and opensc did not install." >&2; return 1; }
    fi

    local module
    module=$(keyinfra_hsm_module_path) || { echo "libsofthsm2.so is not where Debian's softhsm2 package puts it." >&2; return 1; }

    keyinfra_hsm_dir="$(mktemp -d "${TMPDIR:-/tmp}/keyinfra-hsm.XXXXXX")"
    mkdir "$keyinfra_hsm_dir/tokens"
    chmod 700 "$keyinfra_hsm_dir" "$keyinfra_hsm_dir/tokens"
    cat > "$keyinfra_hsm_dir/softhsm2.conf" <<EOF
directories.tokendir = $keyinfra_hsm_dir/tokens
objectstore.backend = file
log.level = ERROR
slots.removable = false
EOF

    export SOFTHSM2_CONF="$keyinfra_hsm_dir/softhsm2.conf"
    export KEYINFRA_PKCS11_MODULE="$module"
    export KEYINFRA_TEST_HSM_DIR="$keyinfra_hsm_dir"
    export KEYINFRA_SOFTHSM2_UTIL="$(command -v softhsm2-util)" KEYINFRA_PKCS11_TOOL="$(command -v pkcs11-tool)"
    export KEYINFRA_TEST_HSM_SO_PIN="$(keyinfra_hsm_random_pin)"
    export KEYINFRA_TEST_HSM_TOKEN="keyinfra-test" KEYINFRA_TEST_HSM_PIN="$(keyinfra_hsm_random_pin)"
    export KEYINFRA_TEST_HSM_TOKEN2="keyinfra-second" KEYINFRA_TEST_HSM_PIN2="$(keyinfra_hsm_random_pin)"
    export KEYINFRA_TEST_HSM_CA_TOKEN="keyinfra-certificates" KEYINFRA_TEST_HSM_CA_PIN="$(keyinfra_hsm_random_pin)"
    export KEYINFRA_TEST_HSM_REMOVABLE_TOKEN="keyinfra-removable" KEYINFRA_TEST_HSM_REMOVABLE_PIN="$(keyinfra_hsm_random_pin)"

    keyinfra_hsm_init_token "$KEYINFRA_TEST_HSM_TOKEN" "$KEYINFRA_TEST_HSM_PIN" || return 1
    keyinfra_hsm_init_token "$KEYINFRA_TEST_HSM_TOKEN2" "$KEYINFRA_TEST_HSM_PIN2" || return 1
    keyinfra_hsm_init_token "$KEYINFRA_TEST_HSM_CA_TOKEN" "$KEYINFRA_TEST_HSM_CA_PIN" || return 1
    keyinfra_hsm_init_token "$KEYINFRA_TEST_HSM_REMOVABLE_TOKEN" "$KEYINFRA_TEST_HSM_REMOVABLE_PIN" || return 1
    export KEYINFRA_TEST_HSM_NO_USER_PIN_TOKEN="keyinfra-no-user-pin"
    keyinfra_hsm_init_token_without_user_pin "$KEYINFRA_TEST_HSM_NO_USER_PIN_TOKEN" "$module" || return 1

    # The restricted token: SoftHSM2 ignores the first entry of a "-" list, hence CKM_MD5 before the ones turned off.
    mkdir "$keyinfra_hsm_dir/restricted-tokens"
    cp "$module" "$keyinfra_hsm_dir/libsofthsm2-restricted.so"
    cat > "$keyinfra_hsm_dir/softhsm2-restricted.conf" <<EOF
directories.tokendir = $keyinfra_hsm_dir/restricted-tokens
objectstore.backend = file
log.level = ERROR
slots.removable = false
slots.mechanisms = -CKM_MD5,CKM_EDDSA,CKM_EC_EDWARDS_KEY_PAIR_GEN,CKM_RSA_PKCS_PSS
EOF
    export KEYINFRA_TEST_HSM_RESTRICTED_MODULE="$keyinfra_hsm_dir/libsofthsm2-restricted.so"
    export KEYINFRA_TEST_HSM_RESTRICTED_CONF="$keyinfra_hsm_dir/softhsm2-restricted.conf"
    export KEYINFRA_TEST_HSM_RESTRICTED_TOKEN="keyinfra-restricted" KEYINFRA_TEST_HSM_RESTRICTED_PIN="$(keyinfra_hsm_random_pin)"
    ( export SOFTHSM2_CONF="$KEYINFRA_TEST_HSM_RESTRICTED_CONF"; keyinfra_hsm_init_token "$KEYINFRA_TEST_HSM_RESTRICTED_TOKEN" "$KEYINFRA_TEST_HSM_RESTRICTED_PIN" ) || return 1
    echo "SoftHSM2 $(softhsm2-util --version) tokens '$KEYINFRA_TEST_HSM_TOKEN', '$KEYINFRA_TEST_HSM_TOKEN2', '$KEYINFRA_TEST_HSM_CA_TOKEN' and '$KEYINFRA_TEST_HSM_REMOVABLE_TOKEN' in a temp folder ($module)."
}

keyinfra_hsm_stop() {
    if [[ -n "$keyinfra_hsm_dir" && -d "$keyinfra_hsm_dir" ]]; then
        rm -rf "$keyinfra_hsm_dir"
    fi
    keyinfra_hsm_dir=""
    unset SOFTHSM2_CONF KEYINFRA_PKCS11_MODULE KEYINFRA_TEST_HSM_DIR KEYINFRA_SOFTHSM2_UTIL KEYINFRA_PKCS11_TOOL \
        KEYINFRA_TEST_HSM_SO_PIN KEYINFRA_TEST_HSM_TOKEN KEYINFRA_TEST_HSM_PIN KEYINFRA_TEST_HSM_TOKEN2 KEYINFRA_TEST_HSM_PIN2 \
        KEYINFRA_TEST_HSM_CA_TOKEN KEYINFRA_TEST_HSM_CA_PIN KEYINFRA_TEST_HSM_REMOVABLE_TOKEN KEYINFRA_TEST_HSM_REMOVABLE_PIN KEYINFRA_TEST_HSM_NO_USER_PIN_TOKEN KEYINFRA_TEST_HSM_RESTRICTED_MODULE \
        KEYINFRA_TEST_HSM_RESTRICTED_CONF KEYINFRA_TEST_HSM_RESTRICTED_TOKEN KEYINFRA_TEST_HSM_RESTRICTED_PIN
}
