import Link from "next/link";

/** Shown instead of a workspace's pages to a signed-in account that is not a member of it. */
export function NoAccess({ message }: { message: string }) {
  return (
    <main id="main-content" tabIndex={-1} className="mx-auto max-w-xl space-y-4 p-6 outline-none">
      <h1 className="text-2xl font-bold">No access to this workspace</h1>
      <p role="alert">{message}</p>
      <p>
        <Link href="/" className="underline underline-offset-2">
          Go to your workspaces
        </Link>
      </p>
    </main>
  );
}
