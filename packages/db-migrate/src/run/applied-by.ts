import { hostname, userInfo } from "node:os";

/** Who ran a migration, as recorded: `user@host pid N`. */
export function defaultAppliedBy(): string {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry for this uid (e.g. a container user): fall back to the environment.
    user = process.env.USER ?? "unknown";
  }
  return `${user}@${hostname()} pid ${process.pid}`;
}
