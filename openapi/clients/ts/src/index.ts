// Arena's TypeScript client: the types in arena.gen.ts are generated from
// openapi/openapi.yaml (`npm run generate`); requests go through openapi-fetch, so every
// path, parameter and body is checked against them by the compiler.
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./arena.gen.ts";

export type { components, paths };
export type Problem = components["schemas"]["Problem"];

/** A client of the Arena at baseUrl (e.g. http://127.0.0.1:8080), sending token, when given, as its bearer token. */
export function arenaClient(baseUrl: string, token?: string) {
  const client = createClient<paths>({ baseUrl });
  if (token) {
    const bearer: Middleware = {
      onRequest({ request }) {
        request.headers.set("Authorization", `Bearer ${token}`);
        return request;
      },
    };
    client.use(bearer);
  }
  return client;
}

/** A fresh key for one intended money-moving operation: send it again only to retry that operation. */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}
