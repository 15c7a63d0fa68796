-- The gazetteer (seeds/gazetteer.toml) as a table, one row per entity; replaced as a whole by a
-- load or `newswire recompute` whenever the gazetteer changes. Mirrors transforms.entities.ENTITIES_SCHEMA.
CREATE TABLE entities (
    entity_id    VARCHAR   NOT NULL,
    name         VARCHAR   NOT NULL,
    kind         VARCHAR   NOT NULL,  -- country / person / organisation / place
    iso_code     VARCHAR,
    country_code VARCHAR,
    aliases      VARCHAR[] NOT NULL
);
