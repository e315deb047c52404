import { type ReactNode, useEffect, useState } from "react";

/** Renders its children only in the browser (charts measure the DOM and cannot render on the server). */
export function ClientOnly({
  children,
  fallback = null,
}: {
  children: () => ReactNode;
  fallback?: ReactNode;
}) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return <>{mounted ? children() : fallback}</>;
}
