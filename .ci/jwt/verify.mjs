// Verify cgip's Cognito-style tokens with AWS's own library, aws-jwt-verify.
//
// Usage: node verify.mjs  (inputs in the environment)
//   POOL_ID       the user pool id (us-east-1_...); the verifier derives the issuer
//                 https://cognito-idp.us-east-1.amazonaws.com/<POOL_ID> from it
//   CLIENT_ID     the app client id the tokens were issued to
//   JWKS_URL      where cgip serves the pool's JWKS (http://127.0.0.1:PORT/<POOL_ID>/.well-known/jwks.json)
//   ID_TOKEN, ACCESS_TOKEN
//   EXPECT_USERNAME  the username both tokens must name
//
// The verifier would fetch the JWKS from the issuer URL at AWS, which does not know this pool.
// Instead this script downloads the JWKS from cgip and puts it into the verifier's cache with
// verifier.cacheJwks(jwks). The verifier's JWKS cache is built with a fetcher that refuses every
// request, so if the library tried to go to the network anyway (e.g. for an unknown kid) the
// verification fails loudly instead of reaching AWS.
//
// Prints one "ok - ..." line per check; exits non-zero on the first failure.
import { CognitoJwtVerifier } from "aws-jwt-verify";
import { SimpleJwksCache } from "aws-jwt-verify/jwk";
import { CognitoJwtInvalidClientIdError, CognitoJwtInvalidTokenUseError, JwtInvalidSignatureError } from "aws-jwt-verify/error";

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};
const poolId = env("POOL_ID");
const clientId = env("CLIENT_ID");
const jwksUrl = env("JWKS_URL");
const idToken = env("ID_TOKEN");
const accessToken = env("ACCESS_TOKEN");
const expectUsername = env("EXPECT_USERNAME");
const region = poolId.split("_")[0];
const expectedIssuer = `https://cognito-idp.${region}.amazonaws.com/${poolId}`;

let passed = 0;
const ok = (what) => {
  passed++;
  console.log(`ok - ${what}`);
};
const fail = (what) => {
  console.log(`FAIL: ${what}`);
  process.exit(1);
};

// Any attempt of the library to fetch something is recorded and refused.
const attemptedFetches = [];
const refusingFetcher = {
  fetch: async (uri) => {
    attemptedFetches.push(uri);
    throw new Error(`aws-jwt-verify tried to fetch ${uri}; only the injected JWKS may be used`);
  },
};
const newVerifier = (tokenUse) =>
  CognitoJwtVerifier.create(
    { userPoolId: poolId, tokenUse, clientId },
    { jwksCache: new SimpleJwksCache({ fetcher: refusingFetcher }) },
  );

// The JWKS, from cgip (Node's global fetch: a plain HTTP GET to the local server).
const res = await fetch(jwksUrl);
if (!res.ok) fail(`GET ${jwksUrl}: HTTP ${res.status}`);
const jwks = await res.json();
if (!Array.isArray(jwks.keys) || jwks.keys.length === 0) fail(`JWKS without keys: ${JSON.stringify(jwks)}`);
ok(`JWKS from cgip: ${jwks.keys.length} key(s), kid ${jwks.keys.map((k) => k.kid).join(",")}`);

const verifiers = { id: newVerifier("id"), access: newVerifier("access") };
for (const v of Object.values(verifiers)) v.cacheJwks(jwks); // no userPoolId needed: one pool per verifier

const check = async (tokenUse, token) => {
  const verifier = verifiers[tokenUse];
  let payload;
  try {
    // verifySync uses only the cache; verify (async) would fetch on a cache miss (refused here).
    payload = verifier.verifySync(token);
    await verifier.verify(token);
  } catch (e) {
    fail(`${tokenUse} token rejected: ${e.constructor.name}: ${e.message}`);
  }
  const username = tokenUse === "id" ? payload["cognito:username"] : payload.username;
  if (payload.token_use !== tokenUse) fail(`${tokenUse} token: token_use ${payload.token_use}`);
  if (payload.iss !== expectedIssuer) fail(`${tokenUse} token: iss ${payload.iss}, want ${expectedIssuer}`);
  if (username !== expectUsername) fail(`${tokenUse} token: username ${username}, want ${expectUsername}`);
  ok(
    `the ${tokenUse} token verifies: token_use=${payload.token_use} ` +
      `${tokenUse === "id" ? "cognito:username" : "username"}=${username} iss=${payload.iss}`,
  );
  return payload;
};
await check("id", idToken);
await check("access", accessToken);

// Tampering: a changed payload with the original signature, and a changed signature.
const b64url = (s) => Buffer.from(s).toString("base64url");
const tamperPayload = (token) => {
  const [h, p, s] = token.split(".");
  const claims = JSON.parse(Buffer.from(p, "base64url").toString());
  for (const k of ["cognito:username", "username"]) if (k in claims) claims[k] = "mallory";
  return [h, b64url(JSON.stringify(claims)), s].join(".");
};
const tamperSignature = (token) => {
  const [h, p, s] = token.split(".");
  const sig = Buffer.from(s, "base64url");
  sig[sig.length >> 1] ^= 0x01;
  return [h, p, sig.toString("base64url")].join(".");
};
const mustReject = (what, tokenUse, token, errorClass) => {
  try {
    verifiers[tokenUse].verifySync(token);
  } catch (e) {
    if (errorClass && !(e instanceof errorClass)) fail(`${what}: rejected with ${e.constructor.name}: ${e.message}, want ${errorClass.name}`);
    ok(`${what} is rejected (${e.constructor.name}: ${e.message})`);
    return;
  }
  fail(`${what} was accepted`);
};
mustReject("id token with a changed payload", "id", tamperPayload(idToken), JwtInvalidSignatureError);
mustReject("access token with a changed payload", "access", tamperPayload(accessToken), JwtInvalidSignatureError);
mustReject("id token with a changed signature", "id", tamperSignature(idToken), JwtInvalidSignatureError);
mustReject("access token presented as an id token", "id", accessToken, CognitoJwtInvalidTokenUseError);
mustReject("id token presented as an access token", "access", idToken, CognitoJwtInvalidTokenUseError);

verifiers.otherClient = CognitoJwtVerifier.create(
  { userPoolId: poolId, tokenUse: "access", clientId: "someotherclientid000000000" },
  { jwksCache: new SimpleJwksCache({ fetcher: refusingFetcher }) },
);
verifiers.otherClient.cacheJwks(jwks);
mustReject("access token checked for another client id", "otherClient", accessToken, CognitoJwtInvalidClientIdError);

if (attemptedFetches.length) fail(`the library tried to fetch: ${attemptedFetches.join(", ")}`);
ok("no network request by aws-jwt-verify (JWKS injected with cacheJwks)");
console.log(`verify.mjs: ${passed} passed, 0 failed`);
