import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { GuideFrame } from "@/components/guide/guide-frame";
import { GuideMarkdown } from "@/components/guide/guide-markdown";
import { screenshotsIn } from "@/lib/guide";
import { availableGuideScreenshots, loadGuide } from "@/server/guide";

// Reads docs/guide/ and the workspaces on every request.
export const dynamic = "force-dynamic";

type Params = { params: Promise<{ section: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { section } = await params;
  const found = (await loadGuide()).find((s) => s.slug === section);
  return { title: found ? `${found.title} · User guide · Bright Run` : "User guide · Bright Run" };
}

/** `/guide/<section>`: one section of the user guide, with Previous / Next. Unknown sections are a 404. */
export default async function GuideSectionPage({ params }: Params) {
  const { section } = await params;
  const sections = await loadGuide();
  const index = sections.findIndex((s) => s.slug === section);
  if (index < 0) notFound();
  const current = sections[index];
  const screenshots = [...(await availableGuideScreenshots(screenshotsIn(current.markdown)))];
  const previous = sections[index - 1];
  const next = sections[index + 1];
  return (
    <GuideFrame sections={sections} current={current.slug}>
      <article aria-labelledby="guide-title">
        <h1 id="guide-title" className="text-2xl font-semibold tracking-tight">
          {current.title}
        </h1>
        <GuideMarkdown markdown={current.markdown} screenshots={screenshots} />
      </article>
      <nav aria-label="Previous and next sections" className="flex justify-between border-t pt-4 text-sm print:hidden">
        {previous ? (
          <Link href={`/guide/${previous.slug}`} className="text-primary underline-offset-4 hover:underline">
            ← {previous.title}
          </Link>
        ) : (
          <span />
        )}
        {next && (
          <Link href={`/guide/${next.slug}`} className="text-primary underline-offset-4 hover:underline">
            {next.title} →
          </Link>
        )}
      </nav>
    </GuideFrame>
  );
}
