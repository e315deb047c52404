import { execFileSync } from "node:child_process";
import path from "node:path";

// The e2e suites drive the production build, made once per run.
export default function buildApp() {
  execFileSync(path.join("node_modules", ".bin", "remix"), ["vite:build"], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, NODE_ENV: "production" },
  });
}
