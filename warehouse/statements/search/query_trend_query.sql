-- `newswire trends --query`: the query_trend() macro with every value bound as a parameter.
SELECT * FROM query_trend($queries, $grain, CAST($start AS DATE), CAST($end AS DATE), source := $source,
                          dedupe := $dedupe);
