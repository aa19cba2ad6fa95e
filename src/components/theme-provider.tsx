"use client";

import * as React from "react";
import { ThemeProvider as NextThemesProvider } from "next-themes";

/**
 * Light / dark / system theme for the whole app (next-themes). The root layout mounts it with
 * `attribute="class"`, so `.dark` on <html> switches the CSS variables in globals.css.
 */
export function ThemeProvider({ children, ...props }: React.ComponentProps<typeof NextThemesProvider>) {
  return <NextThemesProvider {...props}>{children}</NextThemesProvider>;
}
