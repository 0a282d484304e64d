-- Phase 1 kept a workspace's enabled tools as a JSON array of tool ids in
-- ydtb_workspaces.metadata->'tools'. Phase 2 keeps them in ydtb_workspace_tools.
-- Ids found in the ydtb_tools catalog move to the table; unknown ids stay in metadata
-- (nothing is lost) and are reported with a NOTICE. Rows already present are kept.
INSERT INTO "ydtb_workspace_tools" ("workspace_id", "tool_id")
SELECT w."id", ids.tool_id
FROM "ydtb_workspaces" w
CROSS JOIN LATERAL jsonb_array_elements_text(w."metadata"->'tools') AS ids(tool_id)
JOIN "ydtb_tools" t ON t."id" = ids.tool_id
WHERE jsonb_typeof(w."metadata"->'tools') = 'array'
ON CONFLICT DO NOTHING;
--> statement-breakpoint
DO $$
DECLARE unknown text;
BEGIN
  SELECT string_agg(format('%s: %s', w."id", ids.tool_id), ', ')
    INTO unknown
    FROM "ydtb_workspaces" w
    CROSS JOIN LATERAL jsonb_array_elements_text(w."metadata"->'tools') AS ids(tool_id)
    WHERE jsonb_typeof(w."metadata"->'tools') = 'array'
      AND NOT EXISTS (SELECT 1 FROM "ydtb_tools" t WHERE t."id" = ids.tool_id);
  IF unknown IS NOT NULL THEN
    RAISE NOTICE 'ydtb tools phase 2: unknown tool ids left in ydtb_workspaces.metadata.tools (workspace: id): %', unknown;
  END IF;
END $$;
--> statement-breakpoint
UPDATE "ydtb_workspaces" w
SET "metadata" = CASE
    WHEN remaining.ids = '[]'::jsonb THEN w."metadata" - 'tools'
    ELSE jsonb_set(w."metadata", '{tools}', remaining.ids)
  END
FROM (
  SELECT w2."id",
         coalesce(jsonb_agg(ids.tool_id ORDER BY ids.ord) FILTER (WHERE t."id" IS NULL), '[]'::jsonb) AS ids
  FROM "ydtb_workspaces" w2
  CROSS JOIN LATERAL jsonb_array_elements_text(w2."metadata"->'tools') WITH ORDINALITY AS ids(tool_id, ord)
  LEFT JOIN "ydtb_tools" t ON t."id" = ids.tool_id
  WHERE jsonb_typeof(w2."metadata"->'tools') = 'array'
  GROUP BY w2."id"
) AS remaining
WHERE remaining."id" = w."id";
