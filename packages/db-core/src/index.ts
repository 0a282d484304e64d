export { WORKSPACE_ID_LENGTH, workspaceIdColumn } from "./columns.ts";
export { default as coreDatabase } from "./database.ts";
export * from "./schema/index.ts";
export {
  disableTool,
  enableTool,
  listTools,
  listWorkspaceTools,
  syncTools,
  ToolError,
  type SyncToolsOptions,
  type Tool,
  type ToolSyncResult,
  type WorkspaceTool,
} from "./tools-api.ts";
