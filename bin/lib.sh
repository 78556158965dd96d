# shellcheck shell=bash
# shellcheck disable=SC2034  # variables are used by the scripts that source this file
# Shared helpers for bin/start and bin/test. Source it, do not execute it.
#
# Everything a fresh clone needs is set up here: system packages (only when
# missing), the project virtualenv, the Odoo source location, a throw-away
# PostgreSQL cluster and the generated Odoo configuration file.

CC_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CC_ADDON="complaint_center"
# Folder that contains the addon folder; overridable for testing the scripts.
CC_ADDONS_DIR="${CC_ADDONS_DIR:-$CC_REPO}"
CC_ADDON_DIR="$CC_ADDONS_DIR/$CC_ADDON"
# The product is the addon and its bridges to optional Odoo apps (each one
# auto-installs where its app is); bin/start and bin/test install them all.
CC_BRIDGES="complaint_center_stock"
CC_MODULES="$CC_ADDON${CC_BRIDGES:+,${CC_BRIDGES// /,}}"

ODOO_PATH="${ODOO_PATH:-/opt/odoo18}"
# Where Odoo 18.0 is fetched from when ODOO_PATH has none (a URL or a local
# git directory, e.g. a mirror).
CC_ODOO_REPO="${CC_ODOO_REPO:-https://github.com/odoo/odoo.git}"
CC_ODOO_BRANCH="${CC_ODOO_BRANCH:-18.0}"
CC_PGPORT="${CC_PGPORT:-55432}"
CC_HTTP_PORT="${CC_HTTP_PORT:-8069}"
CC_DB_USER="${CC_DB_USER:-odoo}"
# Throw-away area: PostgreSQL data dir, its log and socket, Odoo's data_dir.
# Under /tmp so that the `postgres` OS user can reach it when we run as root.
CC_RUN_DIR="${CC_RUN_DIR:-/tmp/complaint_center-$CC_PGPORT}"
CC_PGDATA="$CC_RUN_DIR/pgdata"
CC_VENV="${CC_VENV:-$CC_REPO/.venv}"
CC_PY="$CC_VENV/bin/python"
CC_ODOO_CONF="${CC_ODOO_CONF:-$CC_REPO/.odoo.conf}"
CC_PYTHON="${PYTHON:-python3}"
CC_PG_STARTED=0
CC_APT_UPDATED=0

export PGHOST=127.0.0.1 PGPORT="$CC_PGPORT" PGUSER="$CC_DB_USER"

cc_log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
cc_warn() { printf 'WARNING: %s\n' "$*" >&2; }
cc_die() {
    printf 'ERROR: %s\n' "$*" >&2
    exit 1
}

# ---------------------------------------------------------------- system deps
cc_is_root() { [ "$(id -u)" -eq 0 ]; }

cc_apt_install() {
    command -v apt-get >/dev/null 2>&1 ||
        cc_die "missing system package(s) $*, and apt-get is not available: install them by hand"
    local sudo=()
    if ! cc_is_root; then
        command -v sudo >/dev/null 2>&1 ||
            cc_die "missing system package(s) $*: install them (apt-get install $*) as root"
        sudo=(sudo -n)
    fi
    cc_log "Installing system packages: $*"
    if [ "$CC_APT_UPDATED" -eq 0 ]; then
        "${sudo[@]}" apt-get update -qq
        CC_APT_UPDATED=1
    fi
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -q --no-install-recommends "$@"
}

# Locate the PostgreSQL server binaries (initdb, pg_ctl, postgres).
cc_find_pg_bin() {
    local d
    if [ -n "${CC_PG_BIN:-}" ] && [ -x "$CC_PG_BIN/initdb" ]; then return 0; fi
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
            CC_PG_BIN="$d"
            return 0
        fi
    done
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        CC_PG_BIN="$(dirname "$(command -v initdb)")"
        return 0
    fi
    return 1
}

# System packages needed by the Odoo tier: PostgreSQL server, wkhtmltopdf
# and CJK fonts (Chinese glyphs in the PDF forms).
cc_ensure_system_deps() {
    local pkgs=()
    cc_find_pg_bin || pkgs+=(postgresql postgresql-client)
    command -v wkhtmltopdf >/dev/null 2>&1 || pkgs+=(wkhtmltopdf)
    if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list :lang=zh family 2>/dev/null)" ]; then
        pkgs+=(fonts-noto-cjk fontconfig)
    fi
    # The paper tests read the PDFs with pdftotext, pdfinfo and pdffonts.
    command -v pdftotext >/dev/null 2>&1 || pkgs+=(poppler-utils)
    # Tours (HttpCase.start_tour) run in headless Chromium.
    command -v chromium >/dev/null 2>&1 || command -v google-chrome >/dev/null 2>&1 ||
        pkgs+=(chromium)
    if [ "${#pkgs[@]}" -gt 0 ]; then
        cc_apt_install "${pkgs[@]}"
    fi
    cc_find_pg_bin || cc_die "PostgreSQL server binaries (initdb, pg_ctl) not found"
}

# ------------------------------------------------------------------ virtualenv
cc_requirements_hash() {
    {
        "$CC_PYTHON" -c 'import sys; print(sys.version)'
        cat "$CC_REPO/requirements.txt" "$CC_REPO/requirements-dev.txt" \
            "$CC_REPO/requirements-oca.txt" "$CC_REPO/requirements-bench.txt"
    } | sha256sum | cut -d' ' -f1
}

# Create/update .venv from every pinned requirement file; skipped when the
# stamp (hash of the requirement files + interpreter version) matches.
cc_ensure_venv() {
    local stamp="$CC_VENV/.requirements.sha256" want
    command -v "$CC_PYTHON" >/dev/null 2>&1 || cc_die "$CC_PYTHON not found (set PYTHON=/path/to/python3.11)"
    want="$(cc_requirements_hash)"
    if [ -x "$CC_PY" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return 0
    fi
    cc_log "Creating/updating virtualenv $CC_VENV (from the pinned requirements*.txt)"
    if [ ! -x "$CC_PY" ] || ! "$CC_PY" -c 'import sys' >/dev/null 2>&1; then
        rm -rf "$CC_VENV"
        if ! "$CC_PYTHON" -m venv "$CC_VENV"; then
            rm -rf "$CC_VENV"
            cc_apt_install python3-venv
            "$CC_PYTHON" -m venv "$CC_VENV"
        fi
    fi
    "$CC_PY" -m pip install -q --disable-pip-version-check \
        -r "$CC_REPO/requirements.txt" -r "$CC_REPO/requirements-dev.txt"
    # OCA addons (report_xlsx) land in the venv's odoo/addons namespace,
    # which Odoo adds to its addons path by itself.
    # The benchmarks' peer (OCA helpdesk_mgmt) too: set-up is the only step
    # that downloads, nothing is installed while tests or benchmarks run.
    "$CC_PY" -m pip install -q --disable-pip-version-check --no-deps \
        -r "$CC_REPO/requirements-oca.txt" -r "$CC_REPO/requirements-bench.txt"
    echo "$want" >"$stamp"
}

# ------------------------------------------------------------------------ odoo
cc_odoo_howto() {
    cat >&2 <<EOF
ERROR: Odoo 18.0 Community source not found at ODOO_PATH=$ODOO_PATH
       (expected $ODOO_PATH/odoo-bin, $ODOO_PATH/odoo/ and $ODOO_PATH/addons/),
       and it could not be fetched from CC_ODOO_REPO=$CC_ODOO_REPO
       (branch $CC_ODOO_BRANCH). Provide it in one of these ways:
         * give this machine access to $CC_ODOO_REPO and run again;
         * point CC_ODOO_REPO at a reachable mirror or a local clone, e.g.
             CC_ODOO_REPO=/srv/git/odoo.git CC_ODOO_BRANCH=18.0 $0
         * or set ODOO_PATH to a folder containing Odoo 18.0's odoo-bin, e.g.
             ODOO_PATH=\$HOME/src/odoo-18.0 $0
EOF
}

# Shallow clone of Odoo 18.0 into an empty or missing ODOO_PATH. Returns
# non-zero when it cannot (offline, no rights, ODOO_PATH not empty).
cc_fetch_odoo() {
    local repo="$CC_ODOO_REPO" tmp
    if [ -e "$ODOO_PATH" ] && [ -n "$(ls -A "$ODOO_PATH" 2>/dev/null)" ]; then
        printf 'ERROR: ODOO_PATH=%s is not empty and holds no Odoo: not fetching into it\n' "$ODOO_PATH" >&2
        return 1
    fi
    command -v git >/dev/null 2>&1 || cc_apt_install git ca-certificates
    # A local path needs file:// for --depth to apply.
    [ -d "$repo" ] && repo="file://$(cd "$repo" && pwd)"
    cc_log "Fetching Odoo $CC_ODOO_BRANCH from $CC_ODOO_REPO into $ODOO_PATH (shallow clone)"
    mkdir -p "$(dirname "$ODOO_PATH")" || return 1
    tmp="$(mktemp -d "$(dirname "$ODOO_PATH")/.odoo-fetch.XXXXXX")" || return 1
    if ! git clone -q --depth 1 --single-branch --branch "$CC_ODOO_BRANCH" "$repo" "$tmp/odoo"; then
        rm -rf "$tmp"
        return 1
    fi
    rm -rf "$tmp/odoo/.git"
    rmdir "$ODOO_PATH" 2>/dev/null
    mv "$tmp/odoo" "$ODOO_PATH" && rm -rf "$tmp"
}

# Returns non-zero (after printing the how-to) when Odoo 18.0 is not found.
cc_find_odoo() {
    if [ ! -f "$ODOO_PATH/odoo-bin" ] || [ ! -d "$ODOO_PATH/odoo" ] || [ ! -d "$ODOO_PATH/addons" ]; then
        if ! cc_fetch_odoo || [ ! -f "$ODOO_PATH/odoo-bin" ]; then
            cc_odoo_howto
            return 1
        fi
    fi
    ODOO_PATH="$(cd "$ODOO_PATH" && pwd)"
    if ! grep -Eq '^version_info = \(18, 0' "$ODOO_PATH/odoo/release.py" 2>/dev/null; then
        cc_odoo_howto
        printf 'ERROR: %s is not Odoo 18.0 (see %s/odoo/release.py)\n' "$ODOO_PATH" "$ODOO_PATH" >&2
        return 1
    fi
    CC_ODOO_BIN="$ODOO_PATH/odoo-bin"
    return 0
}

# Run odoo-bin with the project venv and the generated config.
cc_odoo() {
    "$CC_PY" "$CC_ODOO_BIN" -c "$CC_ODOO_CONF" "$@"
}

cc_write_odoo_conf() {
    mkdir -p "$CC_RUN_DIR/odoo-data"
    cat >"$CC_ODOO_CONF" <<EOF
; Generated by bin/lib.sh -- do not edit, it is rewritten on every run.
[options]
addons_path = $ODOO_PATH/addons,$CC_ADDONS_DIR
data_dir = $CC_RUN_DIR/odoo-data
db_host = 127.0.0.1
db_port = $CC_PGPORT
db_user = $CC_DB_USER
db_password = False
http_interface = 127.0.0.1
http_port = $CC_HTTP_PORT
without_demo = False
max_cron_threads = 1
EOF
}

# ------------------------------------------------------------------ postgresql
cc_pg_run() {
    # Run a PostgreSQL server binary as the cluster owner.
    if cc_is_root; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

cc_psql() { "$CC_PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$CC_PGPORT" "$@"; }

cc_pg_ready() { "$CC_PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$CC_PGPORT" >/dev/null 2>&1; }

# Create (once) and start the throw-away cluster; sets CC_PG_STARTED=1 when
# this call started it. Listens on 127.0.0.1:$CC_PGPORT only, trust auth.
cc_pg_start() {
    cc_find_pg_bin || cc_die "PostgreSQL server binaries not found"
    mkdir -p "$CC_RUN_DIR"
    chmod 755 "$CC_RUN_DIR"
    if [ ! -f "$CC_PGDATA/PG_VERSION" ]; then
        cc_log "Creating throw-away PostgreSQL cluster in $CC_PGDATA"
        rm -rf "$CC_PGDATA"
        mkdir -p "$CC_PGDATA"
        chmod 700 "$CC_PGDATA"
        cc_is_root && chown postgres: "$CC_PGDATA"
        cc_pg_run "$CC_PG_BIN/initdb" -D "$CC_PGDATA" -U postgres -A trust \
            -E UTF8 --no-locale >"$CC_RUN_DIR/initdb.log" 2>&1 ||
            { cat "$CC_RUN_DIR/initdb.log" >&2; cc_die "initdb failed"; }
        cat >>"$CC_PGDATA/postgresql.conf" <<EOF
# throw-away development/test cluster (bin/lib.sh)
listen_addresses = '127.0.0.1'
unix_socket_directories = '$CC_PGDATA'
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
    fi
    if ! cc_pg_ready; then
        if cc_pg_run "$CC_PG_BIN/pg_ctl" status -D "$CC_PGDATA" >/dev/null 2>&1; then
            cc_die "cluster in $CC_PGDATA is running but not answering on 127.0.0.1:$CC_PGPORT"
        fi
        cc_log "Starting PostgreSQL on 127.0.0.1:$CC_PGPORT (data: $CC_PGDATA)"
        cc_is_root && { touch "$CC_RUN_DIR/postgres.log"; chown postgres: "$CC_RUN_DIR/postgres.log"; }
        cc_pg_run "$CC_PG_BIN/pg_ctl" start -w -t 60 -D "$CC_PGDATA" \
            -l "$CC_RUN_DIR/postgres.log" -o "-p $CC_PGPORT" >/dev/null ||
            { tail -n 20 "$CC_RUN_DIR/postgres.log" >&2; cc_die "could not start PostgreSQL (port $CC_PGPORT in use? set CC_PGPORT)"; }
        CC_PG_STARTED=1
    fi
    # Odoo refuses to connect as `postgres`: use a dedicated role.
    if [ "$(cc_psql -U postgres -d postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$CC_DB_USER'")" != 1 ]; then
        cc_psql -U postgres -d postgres -c "CREATE ROLE \"$CC_DB_USER\" LOGIN CREATEDB"
    fi
    # PostgreSQL's JIT compiles a plan whose cost estimate passes
    # jit_above_cost; record rules inflate estimates, and the compilation
    # (~0.8 s) dwarfed the short queries it was meant to speed up
    # (benchmarks/README.md). Off, as for any OLTP workload.
    cc_psql -U postgres -d postgres -qc "ALTER ROLE \"$CC_DB_USER\" SET jit = off" >/dev/null
}

cc_pg_stop() {
    if [ -f "$CC_PGDATA/postmaster.pid" ]; then
        cc_log "Stopping PostgreSQL ($CC_PGDATA)"
        cc_pg_run "$CC_PG_BIN/pg_ctl" stop -D "$CC_PGDATA" -m fast -w >/dev/null || true
    fi
}

cc_db_exists() {
    [ "$(cc_psql -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'")" = 1 ]
}

cc_module_state() { # db module -> state or empty
    cc_psql -d "$1" -tAc "SELECT state FROM ir_module_module WHERE name = '$2'" 2>/dev/null || true
}

cc_dropdb() {
    cc_psql -U postgres -d postgres -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)"
    rm -rf "$CC_RUN_DIR/odoo-data/filestore/$1"
}
