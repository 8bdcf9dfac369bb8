#!/usr/bin/env bash
# Black-box test: build cgip, start `cgip serve`, drive it with the AWS CLI (a client we did not
# write). Usage: aws-cli-e2e.sh sqlite|postgres
set -euo pipefail
backend=${1:-sqlite}
command -v aws >/dev/null || { echo "the AWS CLI (aws) is required"; exit 1; }

work=$(mktemp -d)
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  if [ "$backend" = postgres ] && [ -n "${schema:-}" ]; then
    PGOPTIONS="-c client_min_messages=warning" psql "$CGIP_TEST_POSTGRES_URL" -qc "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/cgip" ./cmd/cgip
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
endpoint="http://127.0.0.1:$port"

export CGIP_ROOT_ACCESS_KEY_ID=AKIACIROOTEXAMPLE001
export CGIP_ROOT_SECRET_ACCESS_KEY=ci/secret/access/key/for/the/aws/cli/test
storage=(--data "$work/data")
if [ "$backend" = postgres ]; then
  schema="cgip_cli_$$_$(date +%s)"
  psql "${CGIP_TEST_POSTGRES_URL:?}" -qc "CREATE SCHEMA $schema" >/dev/null
  storage=(--data "$work/data" --database "${CGIP_TEST_POSTGRES_URL}&search_path=$schema")
fi
"$work/cgip" serve --listen "127.0.0.1:$port" "${storage[@]}" 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 1 50); do
  curl -fs "$endpoint/health" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fs "$endpoint/health" | grep -q '"ok"' || { cat "$work/server.log"; echo "server did not become healthy"; exit 1; }

# Only what this script sets: no shared config or credentials files of the machine.
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
export AWS_ACCESS_KEY_ID=$CGIP_ROOT_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$CGIP_ROOT_SECRET_ACCESS_KEY
export AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""
unset AWS_SESSION_TOKEN AWS_PROFILE
cognito() { aws cognito-idp --endpoint-url "$endpoint" "$@"; }
fail() { echo "FAIL ($backend): $*"; cat "$work/server.log"; exit 1; }
passed=0
ok() { passed=$((passed + 1)); echo "ok - $*"; }

pool=$(cognito create-user-pool --pool-name ci-pool --user-pool-tags team=ci --query UserPool.Id --output text)
[[ "$pool" =~ ^us-east-1_[0-9A-Za-z]{9}$ ]] || fail "create-user-pool returned id '$pool'"
ok "create-user-pool ($pool)"

[ "$(cognito describe-user-pool --user-pool-id "$pool" --query 'UserPool.[Name,MfaConfiguration,Policies.PasswordPolicy.MinimumLength]' --output text)" = $'ci-pool\tOFF\t8' ] \
  || fail "describe-user-pool defaults"
ok "describe-user-pool"

cognito list-user-pools --max-results 10 --query 'UserPools[].Id' --output text | grep -q "$pool" || fail "list-user-pools does not list $pool"
ok "list-user-pools"

cognito update-user-pool --user-pool-id "$pool" --policies 'PasswordPolicy={MinimumLength=10}' >/dev/null
[ "$(cognito describe-user-pool --user-pool-id "$pool" --query 'UserPool.Policies.PasswordPolicy.MinimumLength' --output text)" = 10 ] || fail "update-user-pool"
ok "update-user-pool"

client=$(cognito create-user-pool-client --user-pool-id "$pool" --client-name web --generate-secret \
  --explicit-auth-flows ALLOW_USER_PASSWORD_AUTH ALLOW_REFRESH_TOKEN_AUTH --query UserPoolClient.ClientId --output text)
[[ "$client" =~ ^[a-z0-9]{26}$ ]] || fail "create-user-pool-client returned '$client'"
secret=$(cognito describe-user-pool-client --user-pool-id "$pool" --client-id "$client" --query UserPoolClient.ClientSecret --output text)
[ ${#secret} -eq 52 ] || fail "client secret '$secret'"
ok "create-user-pool-client / describe-user-pool-client"

[ "$(cognito list-user-pool-clients --user-pool-id "$pool" --query 'UserPoolClients[0].ClientName' --output text)" = web ] || fail "list-user-pool-clients"
ok "list-user-pool-clients"

[ "$(cognito list-tags-for-resource --resource-arn "arn:aws:cognito-idp:us-east-1:000000000000:userpool/$pool" --query Tags.team --output text)" = ci ] \
  || fail "list-tags-for-resource"
ok "list-tags-for-resource"

# Users: create, get by alias, list with a filter, disable/enable, groups, delete.
upool=$(cognito create-user-pool --pool-name ci-users --alias-attributes email --query UserPool.Id --output text)
cognito admin-create-user --user-pool-id "$upool" --username ci-alice --message-action SUPPRESS \
  --user-attributes Name=email,Value=alice@example.com Name=email_verified,Value=true >/dev/null
cognito admin-create-user --user-pool-id "$upool" --username ci-bob --message-action SUPPRESS \
  --user-attributes Name=email,Value=bob@example.com >/dev/null
ok "admin-create-user"
[ "$(cognito admin-get-user --user-pool-id "$upool" --username alice@example.com --query Username --output text)" = ci-alice ] \
  || fail "admin-get-user by verified email alias"
ok "admin-get-user by alias"
[ "$(cognito list-users --user-pool-id "$upool" --filter 'email ^= "bob"' --query 'Users[].Username' --output text)" = ci-bob ] \
  || fail "list-users with a filter"
ok "list-users --filter"
cognito admin-disable-user --user-pool-id "$upool" --username ci-bob
[ "$(cognito list-users --user-pool-id "$upool" --filter 'status = "Disabled"' --query 'Users[].Username' --output text)" = ci-bob ] \
  || fail "disabled user not listed as Disabled"
cognito admin-enable-user --user-pool-id "$upool" --username ci-bob
[ "$(cognito admin-get-user --user-pool-id "$upool" --username ci-bob --query Enabled --output text)" = True ] || fail "admin-enable-user"
ok "admin-disable-user / admin-enable-user"
cognito admin-set-user-password --user-pool-id "$upool" --username ci-alice --password 'Sup3r-Secret!' --permanent
[ "$(cognito admin-get-user --user-pool-id "$upool" --username ci-alice --query UserStatus --output text)" = CONFIRMED ] || fail "admin-set-user-password"
ok "admin-set-user-password"
cognito create-group --user-pool-id "$upool" --group-name admins >/dev/null
cognito admin-add-user-to-group --user-pool-id "$upool" --group-name admins --username ci-alice
[ "$(cognito list-users-in-group --user-pool-id "$upool" --group-name admins --query 'Users[].Username' --output text)" = ci-alice ] || fail "groups"
ok "groups"
cognito admin-delete-user --user-pool-id "$upool" --username ci-bob
if cognito admin-get-user --user-pool-id "$upool" --username ci-bob 2>"$work/err"; then fail "deleted user still there"; fi
grep -qxF "An error occurred (UserNotFoundException) when calling the AdminGetUser operation: User does not exist." "$work/err" || fail "deleted user: $(cat "$work/err")"
ok "admin-delete-user"
if grep -qF 'Sup3r-Secret!' "$work/server.log"; then fail "a password reached the server log"; fi

# An error case: the exact __type and message, as the CLI prints them.
if cognito describe-user-pool --user-pool-id us-east-1_doesNotEx 2>"$work/err"; then fail "describe of a missing pool succeeded"; fi
grep -qxF "An error occurred (ResourceNotFoundException) when calling the DescribeUserPool operation: User pool us-east-1_doesNotEx does not exist." "$work/err" \
  || fail "missing pool error: $(cat "$work/err")"
ok "ResourceNotFoundException text"

if cognito describe-user-pool --user-pool-id 'bad pool' 2>"$work/err"; then fail "invalid pool id accepted"; fi
grep -qF "An error occurred (InvalidParameterException) when calling the DescribeUserPool operation: 1 validation error detected: Value 'bad pool' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+" "$work/err" \
  || fail "validation error: $(cat "$work/err")"
ok "InvalidParameterException validation text"

# A request signed with the wrong secret is refused.
if AWS_SECRET_ACCESS_KEY=not-the-secret cognito list-user-pools --max-results 1 2>"$work/err"; then fail "wrong secret accepted"; fi
grep -qF "An error occurred (InvalidSignatureException) when calling the ListUserPools operation: The request signature we calculated does not match the signature you provided." "$work/err" \
  || fail "wrong secret: $(cat "$work/err")"
ok "wrong secret refused (InvalidSignatureException)"

# Least privilege (issue 7): an IAM user created with the AWS CLI whose only permission is
# AdminResetUserPassword on one pool.
iamcli() { aws iam --endpoint-url "$endpoint" "$@"; }
granted=$(cognito create-user-pool --pool-name granted --query UserPool.Id --output text)
other=$(cognito create-user-pool --pool-name other --query UserPool.Id --output text)
for p in "$granted" "$other"; do
  cognito admin-create-user --user-pool-id "$p" --username rita --message-action SUPPRESS \
    --user-attributes Name=email,Value=rita@example.com Name=email_verified,Value=true >/dev/null
  cognito admin-set-user-password --user-pool-id "$p" --username rita --password 'Passw0rd!x' --permanent
done
iamcli create-user --user-name resetter >/dev/null
read -r reset_ak reset_sk < <(iamcli create-access-key --user-name resetter --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)
iamcli put-user-policy --user-name resetter --policy-name reset-one-pool --policy-document \
  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"cognito-idp:AdminResetUserPassword\",\"Resource\":\"arn:aws:cognito-idp:us-east-1:000000000000:userpool/$granted\"}]}"
[ "$(iamcli get-user-policy --user-name resetter --policy-name reset-one-pool --query 'PolicyDocument.Statement[0].Action' --output text)" = "cognito-idp:AdminResetUserPassword" ] \
  || fail "get-user-policy does not show the policy"
ok "iam create-user / create-access-key / put-user-policy"
[ "$(AWS_ACCESS_KEY_ID=$reset_ak AWS_SECRET_ACCESS_KEY=$reset_sk aws sts --endpoint-url "$endpoint" get-caller-identity --query Arn --output text)" = "arn:aws:iam::000000000000:user/resetter" ] \
  || fail "sts get-caller-identity"
ok "sts get-caller-identity"
as_resetter() { AWS_ACCESS_KEY_ID=$reset_ak AWS_SECRET_ACCESS_KEY=$reset_sk cognito "$@"; }
as_resetter admin-reset-user-password --user-pool-id "$granted" --username rita
[ "$(cognito admin-get-user --user-pool-id "$granted" --username rita --query UserStatus --output text)" = RESET_REQUIRED ] \
  || fail "the least-privilege reset did not reset"
ok "least-privilege key resets a password in its pool"
if as_resetter admin-reset-user-password --user-pool-id "$other" --username rita 2>"$work/err"; then fail "reset allowed in another pool"; fi
grep -qxF "An error occurred (AccessDeniedException) when calling the AdminResetUserPassword operation: User: arn:aws:iam::000000000000:user/resetter is not authorized to perform: cognito-idp:AdminResetUserPassword on resource: arn:aws:cognito-idp:us-east-1:000000000000:userpool/$other because no identity-based policy allows the cognito-idp:AdminResetUserPassword action" "$work/err" \
  || fail "reset in another pool: $(cat "$work/err")"
ok "refused on another pool (AccessDeniedException)"
if as_resetter admin-delete-user --user-pool-id "$granted" --username rita 2>"$work/err"; then fail "delete allowed"; fi
grep -qxF "An error occurred (AccessDeniedException) when calling the AdminDeleteUser operation: User: arn:aws:iam::000000000000:user/resetter is not authorized to perform: cognito-idp:AdminDeleteUser on resource: arn:aws:cognito-idp:us-east-1:000000000000:userpool/$granted because no identity-based policy allows the cognito-idp:AdminDeleteUser action" "$work/err" \
  || fail "delete: $(cat "$work/err")"
ok "refused AdminDeleteUser (AccessDeniedException)"
if AWS_ACCESS_KEY_ID=$reset_ak AWS_SECRET_ACCESS_KEY=$reset_sk iamcli create-user --user-name mallory 2>"$work/err"; then fail "the key managed IAM"; fi
grep -qF "An error occurred (AccessDenied) when calling the CreateUser operation: User: arn:aws:iam::000000000000:user/resetter is not authorized to perform: iam:CreateUser" "$work/err" \
  || fail "iam create-user as resetter: $(cat "$work/err")"
ok "the key may not manage IAM (AccessDenied)"
# A role the resetter may assume (trust policy naming it, with an external id), used through STS.
iamcli create-role --role-name pool-reader --assume-role-policy-document \
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:user/resetter"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"ci-ext"}}}]}' >/dev/null
iamcli put-role-policy --role-name pool-reader --policy-name describe --policy-document \
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"cognito-idp:DescribeUserPool","Resource":"*"}]}'
[ "$(iamcli get-role --role-name pool-reader --query 'Role.AssumeRolePolicyDocument.Statement[0].Condition.StringEquals."sts:ExternalId"' --output text)" = ci-ext ] \
  || fail "get-role does not show the trust policy"
read -r sess_ak sess_sk sess_token < <(AWS_ACCESS_KEY_ID=$reset_ak AWS_SECRET_ACCESS_KEY=$reset_sk aws sts --endpoint-url "$endpoint" assume-role \
  --role-arn arn:aws:iam::000000000000:role/pool-reader --role-session-name ci --external-id ci-ext \
  --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text)
[ "$(AWS_ACCESS_KEY_ID=$sess_ak AWS_SECRET_ACCESS_KEY=$sess_sk AWS_SESSION_TOKEN=$sess_token cognito describe-user-pool --user-pool-id "$granted" --query UserPool.Id --output text)" = "$granted" ] \
  || fail "the assumed role cannot describe the pool"
ok "iam create-role / sts assume-role / the session's permissions"
if iamcli get-user --user-name nobody 2>"$work/err"; then fail "get-user of nobody"; fi
grep -qxF "An error occurred (NoSuchEntity) when calling the GetUser operation: The user with name nobody cannot be found." "$work/err" \
  || fail "iam get-user nobody: $(cat "$work/err")"
ok "iam NoSuchEntity"

cognito delete-user-pool-client --user-pool-id "$pool" --client-id "$client"
cognito delete-user-pool --user-pool-id "$pool"
if cognito describe-user-pool --user-pool-id "$pool" 2>/dev/null; then fail "pool still there after delete"; fi
ok "delete-user-pool-client / delete-user-pool"

if grep -qF "$CGIP_ROOT_SECRET_ACCESS_KEY" "$work/server.log" || grep -qF "$secret" "$work/server.log" || grep -qF "$reset_sk" "$work/server.log"; then fail "a secret reached the server log"; fi
ok "no secrets in the server log"

echo "($backend backend)"
echo "aws-cli-e2e: $passed passed, 0 failed"
