-- The section columns mentions and terms are derived from, for the ids in view recompute_ids.
SELECT article_id, section_index, heading_clean, text_clean
FROM article_sections
WHERE article_id IN (SELECT article_id FROM recompute_ids)
ORDER BY article_id, section_index;
