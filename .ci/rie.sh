#!/usr/bin/env bash
# A real Lambda function as a pool's CustomMessage trigger: the Go handler in
# .ci/lambda/custommessage (aws-lambda-go, the repository's go.mod) runs under AWS's Lambda
# Runtime Interface Emulator (RIE, pinned below), and `cgip serve --lambda-override` sends the
# pool's events to the RIE's invoke URL. AdminResetUserPassword --client-metadata brand=Acme must
# deliver the function's subject and body (with the code in place of {####}), the code must
# reset the password, and with the RIE stopped the reset must fail with
# UnexpectedLambdaException and change nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v aws >/dev/null || { echo "the AWS CLI (aws) is required"; exit 1; }

# The RIE has no tagged releases: this is the pseudo-version @latest resolved to on 2026-11-30
# (its go.mod asks for go 1.26.6; it builds with this repository's toolchain). The build cache
# makes the install a no-op after the first run.
rie_module=github.com/aws/aws-lambda-runtime-interface-emulator
rie_version=v0.0.0-20261030222936-bef5c4ba774d
function_arn=arn:aws:lambda:us-east-1:000000000000:function:custom-message

work=$(mktemp -d)
server_pid=""
rie_pid=""
stop() { # stop PID: SIGTERM and wait (the RIE then kills its runtime, the bootstrap)
  [ -n "$1" ] || return 0
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
cleanup() {
  stop "$rie_pid"; rie_pid=""
  stop "$server_pid"; server_pid=""
  rm -rf "$work"
}
trap cleanup EXIT

passed=0
ok() { passed=$((passed + 1)); echo "ok - $*"; }
fail() {
  echo "FAIL: $*"
  echo "--- server log"; cat "$work/server.log" 2>/dev/null || true
  echo "--- RIE log"; cat "$work/rie.log" 2>/dev/null || true; echo "---"
  echo "rie: $passed passed, 1 failed"
  exit 1
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

GOBIN="$work/bin" GOTOOLCHAIN=local go install "$rie_module/cmd/aws-lambda-rie@$rie_version" 2>"$work/install.log" \
  || { cat "$work/install.log"; echo "FAIL: go install aws-lambda-rie@$rie_version"; exit 1; }
started=$SECONDS
go build -o "$work/bootstrap" ./.ci/lambda/custommessage
go build -o "$work/cgip" ./cmd/cgip
ok "built aws-lambda-rie@$rie_version, the CustomMessage function and cgip"

# The RIE: its HTTP address on a free port, and its Runtime API (default 127.0.0.1:9001, which a
# parallel run or another process might hold) on another. `--help` is not a flag of the RIE: it
# would be run as the bootstrap.
rie_port=$(free_port)
runtime_port=$(free_port)
invoke_url="http://127.0.0.1:$rie_port/2015-03-31/functions/function/invocations"
(cd "$work" && exec "$work/bin/aws-lambda-rie" --runtime-interface-emulator-address "127.0.0.1:$rie_port" \
  --runtime-api-address "127.0.0.1:$runtime_port" "$work/bootstrap") >"$work/rie.log" 2>&1 &
rie_pid=$!
for _ in $(seq 1 50); do listening "$rie_port" && break; sleep 0.1; done
listening "$rie_port" || fail "the RIE is not listening on 127.0.0.1:$rie_port"

# The function alone, straight through the RIE.
curl -fsS -X POST "$invoke_url" -d '{"triggerSource":"CustomMessage_ForgotPassword","request":{"userAttributes":{"name":"Test"},"codeParameter":"{####}","clientMetadata":{"brand":"Direct"}},"response":{}}' \
  >"$work/direct.json" 2>"$work/err" || fail "direct invoke of the RIE: $(cat "$work/err")"
python3 - "$work/direct.json" <<'EOF' || fail "direct invoke answered $(cat "$work/direct.json")"
import json, sys
r = json.load(open(sys.argv[1]))["response"]
assert r["emailSubject"] == "Reset your Direct password", r
assert r["emailMessage"] == "Hi Test, your reset code is {####}", r
EOF
ok "the RIE runs the function: a direct invoke returns the event with the subject and message set"

port=$(free_port)
endpoint="http://127.0.0.1:$port"
export CGIP_ROOT_ACCESS_KEY_ID=AKIACIROOTEXAMPLE003
export CGIP_ROOT_SECRET_ACCESS_KEY=ci/secret/access/key/for/the/rie/test
# The server finds no AWS credentials (none are exported yet, no shared files): it invokes
# unsigned, as the RIE expects.
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE
"$work/cgip" serve --listen "127.0.0.1:$port" --data "$work/data" \
  --lambda-override "$function_arn=$invoke_url" \
  --password-hash-memory 1024 --password-hash-time 1 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 1 50); do
  curl -fs "$endpoint/health" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fs "$endpoint/health" | grep -q '"ok"' || fail "server did not become healthy"

# Only what this script sets for the AWS CLI and `cgip messages`.
export AWS_ACCESS_KEY_ID=$CGIP_ROOT_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$CGIP_ROOT_SECRET_ACCESS_KEY
export AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""
cognito() { aws cognito-idp --endpoint-url "$endpoint" "$@"; }
status() { cognito admin-get-user --user-pool-id "$pool" --username "$username" --query UserStatus --output text; }

email=rosa.rie@example.net
username=ci-rosa-rie
name='Rosa Parks'
brand=Acme
password='Old-Passw0rd!'
new_password='New-Passw0rd!'

pool=$(cognito create-user-pool --pool-name ci-rie \
  --lambda-config "CustomMessage=$function_arn" \
  --account-recovery-setting 'RecoveryMechanisms=[{Priority=1,Name=verified_email}]' --query UserPool.Id --output text 2>"$work/err") \
  || fail "create-user-pool: $(cat "$work/err")"
[[ "$pool" =~ ^us-east-1_[0-9A-Za-z]{9}$ ]] || fail "create-user-pool returned id '$pool'"
got=$(cognito describe-user-pool --user-pool-id "$pool" --query 'UserPool.LambdaConfig.CustomMessage' --output text)
[ "$got" = "$function_arn" ] || fail "describe-user-pool: LambdaConfig.CustomMessage is '$got'"
ok "create-user-pool with LambdaConfig CustomMessage and verified_email recovery ($pool)"

client=$(cognito create-user-pool-client --user-pool-id "$pool" --client-name rie \
  --explicit-auth-flows ALLOW_USER_PASSWORD_AUTH ALLOW_REFRESH_TOKEN_AUTH --query UserPoolClient.ClientId --output text)
cognito admin-create-user --user-pool-id "$pool" --username "$username" --message-action SUPPRESS \
  --user-attributes Name=email,Value="$email" Name=email_verified,Value=true Name=name,Value="$name" >/dev/null 2>"$work/err" \
  || fail "admin-create-user: $(cat "$work/err")"
cognito admin-set-user-password --user-pool-id "$pool" --username "$username" --password "$password" --permanent 2>"$work/err" \
  || fail "admin-set-user-password: $(cat "$work/err")"
[ "$(status)" = CONFIRMED ] || fail "admin-set-user-password --permanent: status $(status)"
ok "client, user with email, email_verified and name, permanent password: CONFIRMED"

cognito admin-reset-user-password --user-pool-id "$pool" --username "$username" --client-metadata "brand=$brand" \
  >/dev/null 2>"$work/err" || fail "admin-reset-user-password through the function: $(cat "$work/err")"
[ "$(status)" = RESET_REQUIRED ] || fail "after admin-reset-user-password: status $(status)"
ok "admin-reset-user-password --client-metadata brand=$brand: RESET_REQUIRED"

# The message as delivered, and the code alone.
"$work/cgip" messages list --endpoint-url "$endpoint" --to "$email" --kind AdminResetUserPassword --wait 10s \
  >"$work/messages.json" 2>"$work/err" || fail "cgip messages list: $(cat "$work/err")"
fields=$(python3 - "$work/messages.json" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))["Messages"]
print(len(m)); print(m[0]["Subject"]); print(m[0]["Body"])
EOF
) || fail "cgip messages list printed: $(cat "$work/messages.json")"
{ read -r count; read -r subject; read -r body; } <<<"$fields"
[ "$count" = 1 ] || fail "$count AdminResetUserPassword messages to $email, want 1: $(cat "$work/messages.json")"
[ "$subject" = "Reset your $brand password" ] || fail "Subject '$subject', want 'Reset your $brand password'"
[[ "$body" =~ ^"Hi $name, your reset code is "([0-9]{6})$ ]] || fail "Body '$body', want 'Hi $name, your reset code is <6 digits>'"
code=${BASH_REMATCH[1]}
ok "the email is the function's: Subject '$subject', Body 'Hi $name, your reset code is <6 digits>'"

latest=$("$work/cgip" messages code --endpoint-url "$endpoint" --to "$email" --kind AdminResetUserPassword 2>"$work/err") \
  || fail "cgip messages code: $(cat "$work/err")"
[ "$latest" = "$code" ] || fail "cgip messages code printed '$latest', the body has '$code'"
ok "cgip messages code prints the code of the body"

cognito confirm-forgot-password --client-id "$client" --username "$username" --confirmation-code "$code" \
  --password "$new_password" 2>"$work/err" || fail "confirm-forgot-password with the code of the body: $(cat "$work/err")"
[ "$(status)" = CONFIRMED ] || fail "after confirm-forgot-password: status $(status)"
cognito initiate-auth --client-id "$client" --auth-flow USER_PASSWORD_AUTH \
  --auth-parameters USERNAME="$username",PASSWORD="$new_password" --query AuthenticationResult.AccessToken --output text \
  >/dev/null 2>"$work/err" || fail "initiate-auth with the new password: $(cat "$work/err")"
ok "confirm-forgot-password with that code: CONFIRMED, the new password signs in"

# The failure path: no function behind the override.
stop "$rie_pid"; rie_pid=""
! listening "$rie_port" || fail "the RIE still listens after SIGTERM"
if cognito admin-reset-user-password --user-pool-id "$pool" --username "$username" --client-metadata "brand=$brand" \
  >/dev/null 2>"$work/err"; then fail "admin-reset-user-password succeeded with the RIE stopped"; fi
want='An error occurred (UnexpectedLambdaException) when calling the AdminResetUserPassword operation: CustomMessage invocation failed due to error '
got=$(grep -v '^$' "$work/err" || true)
[[ "$got" == "$want"* && "$got" != *$'\n'* ]] || fail "want the one error line '$want...', got: $(cat "$work/err")"
ok "RIE stopped: admin-reset-user-password fails: $got"

[ "$(status)" = CONFIRMED ] || fail "after the failed reset: status $(status), want CONFIRMED"
"$work/cgip" messages list --endpoint-url "$endpoint" --to "$email" --kind AdminResetUserPassword >"$work/messages.json" 2>"$work/err" \
  || fail "cgip messages list: $(cat "$work/err")"
count=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["Messages"]))' "$work/messages.json")
[ "$count" = 1 ] || fail "the failed reset queued a message: $count AdminResetUserPassword messages"
cognito initiate-auth --client-id "$client" --auth-flow USER_PASSWORD_AUTH \
  --auth-parameters USERNAME="$username",PASSWORD="$new_password" --query AuthenticationResult.AccessToken --output text \
  >/dev/null 2>"$work/err" || fail "initiate-auth after the failed reset: $(cat "$work/err")"
ok "the failed reset changed nothing: CONFIRMED, no new message, the password still signs in"

for secret in "$brand" "$code" "$password" "$new_password" "$CGIP_ROOT_SECRET_ACCESS_KEY"; do
  if grep -qwF -- "$secret" "$work/server.log"; then fail "the server log contains client metadata, a code, a password or the root secret ('$secret')"; fi
done
ok "no client metadata, codes, passwords or secrets in the server log"

echo "(rie took $((SECONDS - started)) s after the install)"
echo "rie: $passed passed, 0 failed"
