"""Imported once by the extraction pool's fork server, so every forked worker starts warm."""

import gc

from warehouse.batchframes import frames_of  # noqa: F401 - polars, imported once for all workers
from transforms.extract import extract_article  # noqa: F401 - lxml, BeautifulSoup
from transforms.extract.language import identify_language
from transforms.normalise import normalise  # noqa: F401

# py3langid loads its model on first use (~1 s): do it here, before the fork.
identify_language("The warm-up sentence loads the language model once, in the fork server.")

# What the fork server holds now lives as long as it does: move it out of the collector's reach, so
# a worker's full collections do not walk the modules and the model (a first full collection after
# the warm-up cost ~19 ms, about 4 pages' extraction) and do not touch, and so copy, their pages.
gc.collect()
gc.freeze()
