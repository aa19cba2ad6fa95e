import { requireUser } from "@/server/auth";
import { routeErrorResponse } from "@/server/route-response";
import { readGuideScreenshot } from "@/server/guide";

// Reads the screenshots folder on every request.
export const dynamic = "force-dynamic";

/**
 * GET /api/guide/screenshots/NAME: the browser tests' screenshot NAME.png for the user guide
 * (src/server/guide.ts GUIDE_SCREENSHOT_DIR). 404 with a plain-text reason when this installation
 * has not taken it, or NAME is not a screenshot name.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ name: string }> }): Promise<Response> {
  try {
    await requireUser("read");
  } catch (error) {
    return routeErrorResponse(error, "guide screenshot");
  }
  const { name } = await params;
  const png = await readGuideScreenshot(name);
  if (!png) return new Response(`No screenshot "${name}" on this installation: the browser tests take the guide's screenshots (npm test).`, { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
  return new Response(new Uint8Array(png), { headers: { "content-type": "image/png", "cache-control": "no-cache" } });
}
