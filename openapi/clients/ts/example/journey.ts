// A small example that the compiler checks against the API: sign up, log in, read the
// wallet. Run it with any TypeScript runner against `arena serve`.
import { arenaClient, newIdempotencyKey } from "../src/index.ts";

export async function journey(baseUrl: string, adminToken: string) {
  const anonymous = arenaClient(baseUrl);
  const password = "a long enough passphrase";
  await anonymous.POST("/v1/auth/register", {
    body: { email: "sam@example.com", handle: "sam", display_name: "Sam", password },
  });
  const { data: session, error } = await anonymous.POST("/v1/auth/login", { body: { login: "sam", password } });
  if (error) throw new Error(`${error.code}: ${error.detail}`);

  const sam = arenaClient(baseUrl, session.token);
  const { data: me } = await sam.GET("/v1/me");
  if (!me) throw new Error("no account");

  const admin = arenaClient(baseUrl, adminToken);
  await admin.POST("/v1/admin/users/{user_id}/deposits", {
    params: { path: { user_id: me.id }, header: { "Idempotency-Key": newIdempotencyKey() } },
    body: { amount: 2500, currency: "EUR" },
  });
  const { data: wallet } = await sam.GET("/v1/wallet");
  return wallet?.balances;
}
