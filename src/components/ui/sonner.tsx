"use client";

import { useEffect, useRef } from "react";
import { useTheme } from "next-themes";
import { Toaster as Sonner, type ToasterProps } from "sonner";
import { CircleCheckIcon, InfoIcon, Loader2Icon, OctagonXIcon, TriangleAlertIcon } from "lucide-react";
import { usePreferencesSnapshot } from "@/components/preferences/use-preferences";

/**
 * The toast region (sonner), following the next-themes theme (light / dark / system). Mount once,
 * in the root layout; call `toast()` / `toast.success()` / `toast.error()` from "sonner" anywhere.
 *
 * The user's preferences (US14.1.1) apply here, since this is on every page: toasts stay their
 * chosen number of seconds (a toast that sets its own duration, such as an Undo, keeps it), and
 * the stored theme is applied when it arrives from the server or changes.
 */
function Toaster({ duration: _layoutDuration, ...props }: ToasterProps) {
  const { theme = "system", setTheme } = useTheme();
  const { preferences, fromServer } = usePreferencesSnapshot();
  const setThemeRef = useRef(setTheme);
  useEffect(() => {
    setThemeRef.current = setTheme;
  }, [setTheme]);
  const storedTheme = fromServer ? preferences.theme : null;
  useEffect(() => {
    if (storedTheme) setThemeRef.current(storedTheme);
  }, [storedTheme]);

  return (
    <Sonner
      theme={theme as ToasterProps["theme"]}
      className="toaster group"
      icons={{
        success: <CircleCheckIcon className="size-4" />,
        info: <InfoIcon className="size-4" />,
        warning: <TriangleAlertIcon className="size-4" />,
        error: <OctagonXIcon className="size-4" />,
        loading: <Loader2Icon className="size-4 animate-spin" />,
      }}
      style={
        {
          "--normal-bg": "var(--popover)",
          "--normal-text": "var(--popover-foreground)",
          "--normal-border": "var(--border)",
          "--border-radius": "var(--radius)",
        } as React.CSSProperties
      }
      {...props}
      // The preference replaces the layout's `duration` (both default to 5 s, US11.2.1).
      duration={preferences.toastSeconds * 1000}
    />
  );
}

export { Toaster };
