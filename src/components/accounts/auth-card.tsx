import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";

/** The centred card of the signed-out pages (set-up, sign-in, invitation, password reset). */
export function AuthCard({ title, description, children }: { title: string; description?: React.ReactNode; children: React.ReactNode }) {
  return (
    <main id="main-content" tabIndex={-1} className="flex min-h-screen items-start justify-center bg-muted/30 px-4 pt-[12vh] outline-none">
      <div className="w-full max-w-md space-y-4">
        <p className="text-center text-sm font-semibold tracking-wide text-muted-foreground">Bright Run</p>
        <Card>
          <CardHeader>
            <CardTitle>
              <h1 className="text-xl font-bold">{title}</h1>
            </CardTitle>
            {description && <CardDescription>{description}</CardDescription>}
          </CardHeader>
          <CardContent>{children}</CardContent>
        </Card>
      </div>
    </main>
  );
}
