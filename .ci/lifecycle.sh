#!/usr/bin/env bash
# Black-box test of the password-reset lifecycle (see SPEC-password-reset): build cgip, start
# `cgip serve` with signatures checked and Cognito-style issuers, drive a user through sign-in,
# AdminResetUserPassword, ConfirmForgotPassword, ForgotPassword, refresh and GlobalSignOut with
# the AWS CLI, read codes with `cgip messages code`, and verify the tokens with AWS's own
# library aws-jwt-verify (.ci/jwt, versions pinned in its package-lock.json).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v aws >/dev/null || { echo "the AWS CLI (aws) is required"; exit 1; }
command -v node >/dev/null && command -v npm >/dev/null || { echo "node and npm are required"; exit 1; }
started=$SECONDS

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

passed=0
ok() { passed=$((passed + 1)); echo "ok - $*"; }
fail() {
  echo "FAIL: $*"
  echo "--- server log"; cat "$work/server.log" 2>/dev/null || true; echo "---"
  echo "lifecycle: $passed passed, 1 failed"
  exit 1
}

# aws-jwt-verify, installed from the committed lock file into the temporary directory (the
# repository tree stays untouched); the npm cache makes this work offline after the first run.
mkdir "$work/jwt"
cp .ci/jwt/package.json .ci/jwt/package-lock.json .ci/jwt/verify.mjs "$work/jwt/"
(cd "$work/jwt" && npm ci --prefer-offline --no-audit --no-fund --loglevel=error >"$work/npm.log" 2>&1) \
  || { cat "$work/npm.log"; echo "FAIL: npm ci in .ci/jwt"; exit 1; }

go build -o "$work/cgip" ./cmd/cgip
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
endpoint="http://127.0.0.1:$port"

export CGIP_ROOT_ACCESS_KEY_ID=AKIACIROOTEXAMPLE002
export CGIP_ROOT_SECRET_ACCESS_KEY=ci/secret/access/key/for/the/lifecycle/test
"$work/cgip" serve --listen "127.0.0.1:$port" --data "$work/data" --issuer-base cognito \
  --password-hash-memory 1024 --password-hash-time 1 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 1 50); do
  curl -fs "$endpoint/health" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fs "$endpoint/health" | grep -q '"ok"' || fail "server did not become healthy"

# Only what this script sets: no shared config or credentials files of the machine.
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
export AWS_ACCESS_KEY_ID=$CGIP_ROOT_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$CGIP_ROOT_SECRET_ACCESS_KEY
export AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""
unset AWS_SESSION_TOKEN AWS_PROFILE
cognito() { aws cognito-idp --endpoint-url "$endpoint" "$@"; }
# expect_error OPERATION-OUTPUT-FILE LINE: the CLI's stderr is exactly LINE.
expect_error() {
  grep -qxF "$2" "$1" || fail "want the error '$2', got: $(cat "$1")"
}
# latest_code KIND: the code of the newest message of that kind sent to $email (waits for it).
latest_code() { "$work/cgip" messages code --endpoint-url "$endpoint" --to "$email" --kind "$1" --wait 10s; }

email=rosa.reset@example.net
username=ci-rosa
old_password='Old-Passw0rd!'
new_password='New-Passw0rd!'
newest_password='Newest-Passw0rd!'
metadata_value=lifecycle-metadata-7f3a

pool=$(cognito create-user-pool --pool-name ci-lifecycle \
  --account-recovery-setting 'RecoveryMechanisms=[{Priority=1,Name=verified_email}]' --query UserPool.Id --output text)
[[ "$pool" =~ ^us-east-1_[0-9A-Za-z]{9}$ ]] || fail "create-user-pool returned id '$pool'"
[ "$(cognito describe-user-pool --user-pool-id "$pool" --query 'UserPool.AccountRecoverySetting.RecoveryMechanisms[0].Name' --output text)" = verified_email ] \
  || fail "describe-user-pool: AccountRecoverySetting not kept"
ok "create-user-pool with AccountRecoverySetting verified_email ($pool)"

client=$(cognito create-user-pool-client --user-pool-id "$pool" --client-name lifecycle \
  --explicit-auth-flows ALLOW_USER_PASSWORD_AUTH ALLOW_REFRESH_TOKEN_AUTH ALLOW_ADMIN_USER_PASSWORD_AUTH \
  --query UserPoolClient.ClientId --output text)
[[ "$client" =~ ^[a-z0-9]{26}$ ]] || fail "create-user-pool-client returned '$client'"
ok "create-user-pool-client ($client)"

cognito admin-create-user --user-pool-id "$pool" --username "$username" --message-action SUPPRESS \
  --user-attributes Name=email,Value="$email" Name=email_verified,Value=true >/dev/null
cognito admin-set-user-password --user-pool-id "$pool" --username "$username" --password "$old_password" --permanent
[ "$(cognito admin-get-user --user-pool-id "$pool" --username "$username" --query UserStatus --output text)" = CONFIRMED ] \
  || fail "admin-set-user-password --permanent did not confirm the user"
ok "admin-create-user (verified email) / admin-set-user-password --permanent: CONFIRMED"

sign_in() { # sign_in PASSWORD OUTFILE
  cognito initiate-auth --client-id "$client" --auth-flow USER_PASSWORD_AUTH \
    --auth-parameters USERNAME="$username",PASSWORD="$1" --output json >"$2"
}
token() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["AuthenticationResult"][sys.argv[2]])' "$1" "$2"; }
sign_in "$old_password" "$work/auth1.json" 2>"$work/err" || fail "initiate-auth with the password: $(cat "$work/err")"
for t in AccessToken IdToken RefreshToken; do token "$work/auth1.json" "$t" >/dev/null || fail "initiate-auth: no $t"; done
old_access=$(token "$work/auth1.json" AccessToken)
ok "initiate-auth USER_PASSWORD_AUTH returns tokens"

cognito admin-reset-user-password --user-pool-id "$pool" --username "$username" --client-metadata "purpose=$metadata_value" >"$work/out" \
  || fail "admin-reset-user-password"
[ "$(tr -d ' \n' <"$work/out")" = "" ] || [ "$(tr -d ' \n' <"$work/out")" = "{}" ] || fail "admin-reset-user-password printed $(cat "$work/out")"
ok "admin-reset-user-password --client-metadata"

[ "$(cognito admin-get-user --user-pool-id "$pool" --username "$username" --query UserStatus --output text)" = RESET_REQUIRED ] \
  || fail "admin-get-user after the reset: $(cognito admin-get-user --user-pool-id "$pool" --username "$username" --query UserStatus --output text)"
ok "admin-get-user: RESET_REQUIRED"

if sign_in "$old_password" "$work/out" 2>"$work/err"; then fail "initiate-auth with the old password succeeded after the reset"; fi
expect_error "$work/err" "An error occurred (PasswordResetRequiredException) when calling the InitiateAuth operation: Password reset required for the user"
ok "initiate-auth with the old password: PasswordResetRequiredException"

if cognito get-user --access-token "$old_access" >/dev/null 2>"$work/err"; then fail "get-user with an access token from before the reset succeeded"; fi
expect_error "$work/err" "An error occurred (PasswordResetRequiredException) when calling the GetUser operation: Password reset required for the user"
ok "get-user with an access token from before the reset: PasswordResetRequiredException"

code=$(latest_code AdminResetUserPassword 2>"$work/err") || fail "cgip messages code: $(cat "$work/err")"
[[ "$code" =~ ^[0-9]{6}$ ]] || fail "cgip messages code printed '$code'"
ok "cgip messages code --to $email --kind AdminResetUserPassword: a 6-digit code"

wrong_code=$(printf '%06d' $(( (10#$code + 1) % 1000000 )))
if cognito confirm-forgot-password --client-id "$client" --username "$username" --confirmation-code "$wrong_code" \
  --password "$new_password" 2>"$work/err"; then fail "confirm-forgot-password with a wrong code succeeded"; fi
expect_error "$work/err" "An error occurred (CodeMismatchException) when calling the ConfirmForgotPassword operation: Invalid verification code provided, please try again."
ok "confirm-forgot-password with a wrong code: CodeMismatchException"

cognito confirm-forgot-password --client-id "$client" --username "$username" --confirmation-code "$code" \
  --password "$new_password" 2>"$work/err" || fail "confirm-forgot-password with the code: $(cat "$work/err")"
ok "confirm-forgot-password with the code"

if cognito confirm-forgot-password --client-id "$client" --username "$username" --confirmation-code "$code" \
  --password "$newest_password" 2>"$work/err"; then fail "a used code worked a second time"; fi
expect_error "$work/err" "An error occurred (ExpiredCodeException) when calling the ConfirmForgotPassword operation: Invalid code provided, please request a code again."
ok "the used code again: ExpiredCodeException"

[ "$(cognito admin-get-user --user-pool-id "$pool" --username "$username" --query 'UserStatus' --output text)" = CONFIRMED ] \
  || fail "admin-get-user after confirm-forgot-password is not CONFIRMED"
[ "$(cognito admin-get-user --user-pool-id "$pool" --username "$username" --query "UserAttributes[?Name=='email_verified'].Value" --output text)" = true ] \
  || fail "email_verified is no longer true after the reset"
ok "admin-get-user: CONFIRMED, email still verified"

if sign_in "$old_password" "$work/out" 2>"$work/err"; then fail "the old password still works"; fi
expect_error "$work/err" "An error occurred (NotAuthorizedException) when calling the InitiateAuth operation: Incorrect username or password."
sign_in "$new_password" "$work/auth2.json" 2>"$work/err" || fail "initiate-auth with the new password: $(cat "$work/err")"
access=$(token "$work/auth2.json" AccessToken); id_token=$(token "$work/auth2.json" IdToken); refresh=$(token "$work/auth2.json" RefreshToken)
ok "initiate-auth with the new password returns tokens (the old one is refused)"

# The tokens of this sign-in, checked by AWS's verifier with the JWKS cgip serves.
jwks_url="$endpoint/$pool/.well-known/jwks.json"
POOL_ID=$pool CLIENT_ID=$client JWKS_URL=$jwks_url ID_TOKEN=$id_token ACCESS_TOKEN=$access EXPECT_USERNAME=$username \
  node "$work/jwt/verify.mjs" >"$work/verify.out" 2>&1 || { cat "$work/verify.out"; fail "aws-jwt-verify (verify.mjs)"; }
while IFS= read -r line; do
  case $line in "ok - "*) ok "aws-jwt-verify: ${line#ok - }" ;; esac
done <"$work/verify.out"

local_part=${email%@*}; domain=${email#*@}
want_destination="${local_part:0:1}***@${domain:0:1}***"
cognito forgot-password --client-id "$client" --username "$username" --output json >"$work/forgot.json" 2>"$work/err" \
  || fail "forgot-password: $(cat "$work/err")"
details=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["CodeDeliveryDetails"]; print(d["Destination"], d["DeliveryMedium"], d["AttributeName"])' "$work/forgot.json") \
  || fail "forgot-password: no CodeDeliveryDetails in $(cat "$work/forgot.json")"
[ "$details" = "$want_destination EMAIL email" ] || fail "forgot-password CodeDeliveryDetails: '$details', want '$want_destination EMAIL email'"
[ "$(cognito admin-get-user --user-pool-id "$pool" --username "$username" --query UserStatus --output text)" = CONFIRMED ] \
  || fail "forgot-password changed the user's status"
forgot_code=$(latest_code ForgotPassword 2>"$work/err") || fail "cgip messages code after forgot-password: $(cat "$work/err")"
[[ "$forgot_code" =~ ^[0-9]{6}$ ]] || fail "forgot-password code '$forgot_code'"
ok "forgot-password: CodeDeliveryDetails $want_destination EMAIL email, status stays CONFIRMED, code delivered"

cognito initiate-auth --client-id "$client" --auth-flow REFRESH_TOKEN_AUTH --auth-parameters REFRESH_TOKEN="$refresh" \
  --output json >"$work/refresh.json" 2>"$work/err" || fail "initiate-auth REFRESH_TOKEN_AUTH: $(cat "$work/err")"
token "$work/refresh.json" AccessToken >/dev/null && token "$work/refresh.json" IdToken >/dev/null \
  || fail "REFRESH_TOKEN_AUTH returned no new tokens: $(cat "$work/refresh.json")"
ok "initiate-auth REFRESH_TOKEN_AUTH returns new tokens"

cognito get-user --access-token "$access" --query Username --output text >"$work/out" 2>"$work/err" || fail "get-user before global-sign-out: $(cat "$work/err")"
[ "$(cat "$work/out")" = "$username" ] || fail "get-user: Username $(cat "$work/out")"
cognito global-sign-out --access-token "$access" 2>"$work/err" || fail "global-sign-out: $(cat "$work/err")"
if cognito get-user --access-token "$access" >/dev/null 2>"$work/err"; then fail "get-user with a revoked access token succeeded"; fi
expect_error "$work/err" "An error occurred (NotAuthorizedException) when calling the GetUser operation: Access Token has been revoked"
ok "global-sign-out: get-user with the old access token: NotAuthorizedException Access Token has been revoked"

if cognito initiate-auth --client-id "$client" --auth-flow REFRESH_TOKEN_AUTH --auth-parameters REFRESH_TOKEN="$refresh" \
  >/dev/null 2>"$work/err"; then fail "the refresh token still works after global-sign-out"; fi
expect_error "$work/err" "An error occurred (NotAuthorizedException) when calling the InitiateAuth operation: Refresh Token has been revoked"
ok "global-sign-out: the refresh token is refused (Refresh Token has been revoked)"

# The ForgotPassword code works: the last password change of the run.
cognito confirm-forgot-password --client-id "$client" --username "$username" --confirmation-code "$forgot_code" \
  --password "$newest_password" 2>"$work/err" || fail "confirm-forgot-password with the ForgotPassword code: $(cat "$work/err")"
sign_in "$newest_password" "$work/auth3.json" 2>"$work/err" || fail "initiate-auth after the second reset: $(cat "$work/err")"
ok "confirm-forgot-password with the ForgotPassword code, then sign-in with that password"

for secret in "$old_password" "$new_password" "$newest_password" "$metadata_value" "$CGIP_ROOT_SECRET_ACCESS_KEY"; do
  if grep -qF -- "$secret" "$work/server.log"; then fail "the server log contains a password, client metadata or the root secret ('$secret')"; fi
done
for secret in "$code" "$forgot_code"; do
  if grep -qwF -- "$secret" "$work/server.log"; then fail "the server log contains a code ('$secret')"; fi
done
ok "no passwords, codes, client metadata or secrets in the server log"

echo "(lifecycle took $((SECONDS - started)) s)"
echo "lifecycle: $passed passed, 0 failed"
