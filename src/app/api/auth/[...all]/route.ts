import { getAuth } from "@/server/accounts/better-auth";
import { getDatabase } from "@/server/db/instance";

// Sessions and rate limits live in the database.
export const dynamic = "force-dynamic";

/** better-auth's endpoints (sign in, sign out, session, password reset): docs/accounts.md. */
async function handle(request: Request): Promise<Response> {
  return getAuth(await getDatabase()).handler(request);
}

export const GET = handle;
export const POST = handle;
