import { MembersPanel } from "@/components/accounts/members-panel";
import { PageProblem } from "@/components/page-problem";
import { isAppError } from "@/core/errors";
import { listInvitations, listMembers, type InvitationView, type MemberView } from "@/server/accounts/accounts";
import { openWorkspace } from "@/server/workspace-context";

export const dynamic = "force-dynamic";
export const metadata = { title: "Members · Bright Run" };

/** `/w/<slug>/members`: who may do what in this workspace, and invitations (issue 14, item 2). */
export default async function MembersPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  let members: MemberView[] = [];
  let invitations: InvitationView[] | null = null;
  let problem: string | null = null;
  try {
    const { db, workspace, user } = await openWorkspace(slug, "read");
    members = await listMembers(db, workspace.id);
    if (user.permissions.includes("manage_members")) invitations = await listInvitations(db, workspace.id);
  } catch (error) {
    if (!isAppError(error)) throw error;
    problem = error.message;
  }
  return (
    <div className="mx-auto max-w-5xl space-y-6 p-6">
      <header className="space-y-1">
        <h1 className="text-2xl font-bold">Members</h1>
        <p className="text-muted-foreground">Who can work in this workspace, and what each role may do. Invite people by link; they make their own account when they open it.</p>
      </header>
      {problem ? <PageProblem>{problem}</PageProblem> : <MembersPanel slug={slug} members={members} invitations={invitations} />}
    </div>
  );
}
