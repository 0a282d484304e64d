-- Back to phase 1: every enabled tool id goes back into ydtb_workspaces.metadata->'tools'
-- (after the unknown ids that stayed there), and the rows leave ydtb_workspace_tools.
UPDATE "ydtb_workspaces" w
SET "metadata" = jsonb_set(
    w."metadata",
    '{tools}',
    (CASE WHEN jsonb_typeof(w."metadata"->'tools') = 'array' THEN w."metadata"->'tools' ELSE '[]'::jsonb END) || enabled.ids
  )
FROM (
  SELECT wt."workspace_id", jsonb_agg(wt."tool_id" ORDER BY wt."enabled_at", wt."tool_id") AS ids
  FROM "ydtb_workspace_tools" wt
  GROUP BY wt."workspace_id"
) AS enabled
WHERE enabled."workspace_id" = w."id";
--> statement-breakpoint
DELETE FROM "ydtb_workspace_tools";
