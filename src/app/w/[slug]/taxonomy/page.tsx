import { redirect } from "next/navigation";
import { workspacePaths } from "@/lib/workspace-paths";

/** /w/:slug/taxonomy — the first kind's page (Personas). */
export default async function TaxonomyIndexPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  redirect(workspacePaths(slug).taxonomy("personas"));
}
