"""The passes of the attribution sieve (:mod:`khabar.quotes.attribution`), one module each: the vocabulary they
share (:mod:`.words`), the token view (:mod:`.base`), cues (:mod:`.cues`), content (:mod:`.content`), sources
(:mod:`.sources`) and speakers (:mod:`.speakers`).  Each module holds one mixin of
:class:`~khabar.quotes.attribution.Analyzer`, which runs them in order."""
