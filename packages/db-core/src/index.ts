export { WORKSPACE_ID_LENGTH, workspaceIdColumn } from "./columns.ts";
export { default as coreDatabase } from "./database.ts";
export * from "./schema/index.ts";
