-- `newswire trends`: the trend() macro with every value bound as a parameter.
SELECT * FROM trend($names, $grain, CAST($start AS DATE), CAST($end AS DATE), source := $source, dedupe := $dedupe);
