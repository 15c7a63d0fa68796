-- `newswire search --context N`: the kwic() macro with every value bound as a parameter.
SELECT * FROM kwic($query, context := $context, start_day := $start, end_day := $end, source := $source,
                   lang := $lang, top_n := $top_n);
