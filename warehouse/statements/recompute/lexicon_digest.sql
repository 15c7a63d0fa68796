-- The digest of the lexicon the stored mentions and terms were computed with (no row: none yet).
SELECT lexicon_digest FROM lexicon_state;
