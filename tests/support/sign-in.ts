/**
 * Signing in to a running app server from a test: the installation owner's account made with
 * `brightrun users create-owner`, then better-auth's sign-in endpoint; the session cookie to send
 * with `fetch` (docs/accounts.md).
 */

/** The owner account the integration tests that start a server make. */
export const TEST_OWNER = { name: "Test Owner", email: "owner@test.example", password: "test owner passphrase" } as const;

/**
 * Signs in at `baseUrl` and returns the `Cookie` header value of the session.
 * @throws Error with the status and answer when the sign-in is refused
 */
export async function signInCookie(baseUrl: string, account: { email: string; password: string } = TEST_OWNER): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseUrl },
    body: JSON.stringify({ email: account.email, password: account.password }),
  });
  if (!response.ok) throw new Error(`Signing in as ${account.email} failed: ${response.status} ${await response.text()}`);
  return response.headers
    .getSetCookie()
    .map((header) => header.split(";")[0])
    .join("; ");
}

/** `brightrun users create-owner` arguments and environment for TEST_OWNER. */
export function createOwnerArgs(): { args: string[]; env: Record<string, string> } {
  return { args: ["users", "create-owner", "--name", TEST_OWNER.name, "--email", TEST_OWNER.email], env: { BRIGHTRUN_OWNER_PASSWORD: TEST_OWNER.password } };
}
