-- A lake load's first write (warehouse/schema/091_warehouse_version.sql says why).
UPDATE warehouse_version SET version = version + 1, bumped_at = current_timestamp;
