-- id: DW333
-- name: timestamp-without-time-zone
-- severity: warning
-- title: Column uses timestamp without time zone
-- message: column {object} is {data_type}; use timestamp with time zone (timestamptz)
-- object: column
-- description: timestamp (without time zone) stores a wall-clock reading, not a point in time:
--   arithmetic across DST changes is wrong and every client must agree on the zone. PostgreSQL
--   wiki, Don't Do This: "Don't use the timestamp type to store timestamps, use timestamptz (also
--   known as timestamp with time zone) instead."
-- fix: add a migration with ALTER COLUMN ... TYPE timestamptz USING ... AT TIME ZONE '<the zone the
--   values are in>' (it rewrites the table: see driftwatch gate's hazards).
-- see: https://wiki.postgresql.org/wiki/Don%27t_Do_This#Don.27t_use_timestamp_.28without_time_zone.29

SELECT c.schema_name, c.table_name, c.column_name, c.data_type
FROM columns c
WHERE c.side = 'expected'
  AND c.data_type LIKE 'timestamp%without time zone%'
