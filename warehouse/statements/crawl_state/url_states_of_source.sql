SELECT url, kind, etag, last_modified, body_sha256, children, body_text
FROM url_state
WHERE source_id = $source_id
