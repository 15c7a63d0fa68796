-- `newswire search`: the search() macro with every value bound as a parameter.
SELECT * FROM search($query, start_day := $start, end_day := $end, source := $source, lang := $lang, top_n := $top_n);
