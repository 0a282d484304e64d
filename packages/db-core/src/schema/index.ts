export { accounts, sessions, users, verifications } from "./auth.ts";
export { tools, workspaceTools } from "./tools.ts";
export { workspaceMembers, workspaces } from "./workspaces.ts";
