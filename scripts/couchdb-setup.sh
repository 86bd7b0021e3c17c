#!/usr/bin/env bash
# Prepares a CouchDB 3 server (or pouchdb-server, which the tests use) for Field Ledger's sync.
# Safe to run again and again: what is already in place is left as it is.
#
#   scripts/couchdb-setup.sh URL ADMIN PASSWORD DB [ORIGIN]
#       creates the database DB; sets its _security (members: role officer; admins: role
#       coordinator); puts the design document _design/field-ledger (server/: the
#       validate_doc_update that enforces record ownership, and the facts view); adds a
#       Mango index on [kind, updated_at] where the server has /_index; and, with ORIGIN
#       (e.g. https://ledger.example.org), enables CORS for that origin.
#
#   scripts/couchdb-setup.sh add-user URL ADMIN PASSWORD NAME USERPASSWORD officer|coordinator
#       creates the user NAME (any name, e.g. 王海) with that role, or updates its password
#       and role when it exists.
#
# URL is the server's root (http://127.0.0.1:5984), without credentials; ADMIN and
# PASSWORD are a server admin's. The credentials go to curl in a private config file,
# never on a command line, in a URL or in the output.
set -euo pipefail

log() { printf '[couchdb-setup] %s\n' "$*"; }
die() { printf '[couchdb-setup] error: %s\n' "$*" >&2; exit 1; }
usage() {
  sed -n '4,14p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

SERVER_DIR="$(cd "$(dirname "$0")/.." && pwd)/server"
command -v curl >/dev/null 2>&1 || die "curl is needed"
command -v node >/dev/null 2>&1 || die "node is needed (it assembles the JSON documents)"

MODE=setup
if [ "${1:-}" = add-user ]; then
  MODE=add-user
  shift
  [ $# -eq 6 ] || usage
  URL=$1 ADMIN=$2 PASSWORD=$3 NAME=$4 USER_PASSWORD=$5 ROLE=$6
  case "$ROLE" in officer | coordinator) ;; *) die "the role is officer or coordinator, not '$ROLE'" ;; esac
  [ -n "$NAME" ] || die "the user name is empty"
  [ -n "$USER_PASSWORD" ] || die "the user's password is empty"
else
  [ $# -eq 4 ] || [ $# -eq 5 ] || usage
  URL=$1 ADMIN=$2 PASSWORD=$3 DB=$4 ORIGIN=${5:-}
  # CouchDB's rule for database names.
  [[ "$DB" =~ ^[a-z][a-z0-9_\$\(\)+/-]*$ ]] || die "'$DB' is not a valid database name"
fi
case "$URL" in http://* | https://*) ;; *) die "URL must start with http:// or https://" ;; esac
case "$URL" in *@*) die "give the credentials as ADMIN and PASSWORD, not in the URL" ;; esac
BASE=${URL%/}

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# curl reads the credentials from this file (mode 600), so that they never show in `ps`.
(
  umask 077
  esc() { local s=${1//\\/\\\\}; printf '%s' "${s//\"/\\\"}"; }
  printf 'user = "%s:%s"\n' "$(esc "$ADMIN")" "$(esc "$PASSWORD")" >"$WORK/auth"
)

# req METHOD PATH [JSON]: sets STATUS (HTTP status, 000 when the server did not answer) and
# RESP (the response body).
req() {
  local method=$1 path=$2
  local args=(-sS -K "$WORK/auth" -o "$WORK/resp" -w '%{http_code}' -X "$method" -H 'Accept: application/json')
  if [ $# -ge 3 ]; then
    printf '%s' "$3" >"$WORK/body"
    args+=(-H 'Content-Type: application/json' --data-binary "@$WORK/body")
  fi
  : >"$WORK/resp"
  STATUS=$(curl "${args[@]}" "$BASE$path" 2>"$WORK/curl-err") || STATUS=000
  RESP=$(cat "$WORK/resp")
  if [ "$STATUS" = 000 ]; then
    die "$method $path: no answer from $BASE ($(tr -d '\n' <"$WORK/curl-err"))"
  fi
}
fail() { die "$1: HTTP $STATUS ${RESP:0:300}"; }

# Runs a small piece of JavaScript with node (JSON work), arguments in process.argv[1..].
js() { local code=$1; shift; node -e "$code" -- "$@"; }
# The value at a dotted path of a JSON text (strings raw, the rest as JSON; "" if absent).
json_get() {
  js 'const [text, path] = process.argv.slice(1); let v; try { v = JSON.parse(text); } catch { v = undefined; }
      for (const k of path.split(".")) v = v == null ? undefined : v[k];
      process.stdout.write(v === undefined || v === null ? "" : typeof v === "string" ? v : JSON.stringify(v));' "$1" "$2"
}
uri() { js 'process.stdout.write(encodeURIComponent(process.argv[1]))' "$1"; }

# Checks that the server answers and that the credentials are a server admin's.
check_server() {
  req GET /
  [ "$STATUS" = 401 ] && die "the server refused the admin's name or password (HTTP 401)"
  [ "$STATUS" = 200 ] || fail "GET /"
  local vendor version
  vendor=$(json_get "$RESP" vendor.name)
  version=$(json_get "$RESP" version)
  log "server: ${vendor:-CouchDB} $version at $BASE"
  req GET /_session
  [ "$STATUS" = 200 ] || fail "GET /_session"
  case "$(json_get "$RESP" userCtx.roles)" in
    *'"_admin"'*) ;;
    *) die "the credentials given are not a server admin's (wrong name or password?)" ;;
  esac
}

# Creates the database $1 if it does not exist.
ensure_db() {
  local db=$1
  req GET "/$(uri "$db")"
  if [ "$STATUS" = 200 ]; then
    log "database $db: present"
    return
  fi
  [ "$STATUS" = 404 ] || fail "GET /$db"
  req PUT "/$(uri "$db")"
  case "$STATUS" in
    201 | 202) log "database $db: created" ;;
    412) log "database $db: present" ;;
    *) fail "PUT /$db" ;;
  esac
}

# ---------------------------------------------------------------------------------------------
if [ "$MODE" = add-user ]; then
  check_server
  ensure_db _users
  id="org.couchdb.user:$NAME"
  path="/_users/$(uri "$id")"
  req GET "$path"
  rev=""
  case "$STATUS" in
    200) rev=$(json_get "$RESP" _rev) ;;
    404) ;;
    *) fail "GET /_users/$id" ;;
  esac
  doc=$(js 'const [id, name, password, role, rev] = process.argv.slice(1);
            const doc = { _id: id, name, type: "user", roles: [role], password };
            if (rev) doc._rev = rev;
            process.stdout.write(JSON.stringify(doc));' "$id" "$NAME" "$USER_PASSWORD" "$ROLE" "$rev")
  req PUT "$path" "$doc"
  case "$STATUS" in 200 | 201 | 202) ;; *) fail "PUT /_users/$id" ;; esac
  if [ -n "$rev" ]; then log "user $NAME ($ROLE): updated"; else log "user $NAME ($ROLE): created"; fi
  exit 0
fi

check_server
# CouchDB 3 on a single node has no _users database until one is made; users need it.
ensure_db _users
ensure_db "$DB"
DBP="/$(uri "$DB")"

# Who may read and write: members (role officer) read and write documents; admins (role
# coordinator) may also change design documents and _security. Server admins may do all.
security='{"admins":{"names":[],"roles":["coordinator"]},"members":{"names":[],"roles":["officer"]}}'
req GET "$DBP/_security"
[ "$STATUS" = 200 ] || fail "GET /$DB/_security"
same=$(js 'const [a, b] = process.argv.slice(1).map((t) => JSON.parse(t || "{}"));
           const norm = (s) => JSON.stringify(["admins", "members"].map((k) => ["names", "roles"].map((f) => ((s[k] || {})[f] || []).slice().sort())));
           process.stdout.write(String(norm(a) === norm(b)));' "$RESP" "$security")
if [ "$same" = true ]; then
  log "_security: present"
else
  req PUT "$DBP/_security" "$security"
  [ "$STATUS" = 200 ] || fail "PUT /$DB/_security"
  log "_security: set (members: role officer; admins: role coordinator)"
fi

# The design document: ownership rules and the facts view.
design=$(node "$SERVER_DIR/design-doc.mjs") || die "cannot assemble the design document from $SERVER_DIR"
req GET "$DBP/_design/field-ledger"
case "$STATUS" in
  200 | 404) ;;
  *) fail "GET /$DB/_design/field-ledger" ;;
esac
current=$([ "$STATUS" = 200 ] && printf '%s' "$RESP" || printf '{}')
merged=$(js 'const [cur, next] = process.argv.slice(1).map((t) => JSON.parse(t));
             const strip = ({ _rev, ...rest }) => rest;
             const canon = (v) => Array.isArray(v) ? v.map(canon) : v && typeof v === "object"
               ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canon(v[k])])) : v;
             if (cur._rev && JSON.stringify(canon(strip(cur))) === JSON.stringify(canon(next))) process.stdout.write("");
             else process.stdout.write(JSON.stringify(cur._rev ? { ...next, _rev: cur._rev } : next));' "$current" "$design")
if [ -z "$merged" ]; then
  log "design document _design/field-ledger: present"
else
  req PUT "$DBP/_design/field-ledger" "$merged"
  case "$STATUS" in 200 | 201 | 202) ;; *) fail "PUT /$DB/_design/field-ledger" ;; esac
  log "design document _design/field-ledger: $([ "$current" = '{}' ] && echo created || echo updated)"
fi

# A Mango index for paging the lists of one kind by updated_at (CouchDB answers "exists"
# when it is there already). Servers without Mango (pouchdb-server) are skipped.
req POST "$DBP/_index" '{"index":{"fields":["kind","updated_at"]},"ddoc":"field-ledger-mango","name":"kind-updated_at","type":"json"}'
case "$STATUS" in
  200 | 201) log "Mango index [kind, updated_at]: $(json_get "$RESP" result)" ;;
  400 | 404 | 405 | 500 | 501) log "Mango index [kind, updated_at]: skipped (the server has no /_index: HTTP $STATUS)" ;;
  *) fail "POST /$DB/_index" ;;
esac

# CORS, for an app served from another origin than CouchDB (not needed behind a same-origin
# reverse proxy). CouchDB 3 has node-local config at /_node/_local/_config; pouchdb-server
# (and CouchDB 1) at /_config.
if [ -n "$ORIGIN" ]; then
  req GET /_node/_local/_config/cors
  if [ "$STATUS" = 200 ]; then
    CONFIG=/_node/_local/_config
  else
    req GET /_config/cors
    case "$STATUS" in 200 | 404) CONFIG=/_config ;; *) fail "GET /_config/cors" ;; esac
  fi
  set_config() {
    local key=$1 value
    value=$(js 'process.stdout.write(JSON.stringify(process.argv[1]))' "$2")
    req GET "$CONFIG/$key"
    if [ "$STATUS" = 200 ] && [ "$RESP" = "$value" ]; then return; fi
    req PUT "$CONFIG/$key" "$value"
    [ "$STATUS" = 200 ] || fail "PUT $CONFIG/$key"
    changed=1
  }
  changed=0
  # CouchDB 3.2 and later read enable_cors from [chttpd], earlier versions from [httpd].
  set_config httpd/enable_cors true
  [ "$CONFIG" = /_node/_local/_config ] && set_config chttpd/enable_cors true
  set_config cors/origins "$ORIGIN"
  set_config cors/credentials true
  set_config cors/methods "GET, PUT, POST, HEAD, DELETE"
  set_config cors/headers "accept, authorization, content-type, origin, referer"
  # The app signs in with CouchDB's session cookie: from another site, the browser sends it
  # only when it is SameSite=None (HTTPS only): [chttpd_auth] same_site in CouchDB 3,
  # [couch_httpd_auth] before.
  if [ "$CONFIG" = /_node/_local/_config ]; then
    set_config chttpd_auth/same_site none
  else
    set_config couch_httpd_auth/same_site none
  fi
  if [ "$changed" = 1 ]; then log "CORS for $ORIGIN: set ($CONFIG)"; else log "CORS for $ORIGIN: present"; fi
fi

log "done: $BASE/$DB"
