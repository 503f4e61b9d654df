"""The passes of the attribution sieve (:mod:`khabar.attribution.sieve`), one module each: the vocabulary they
share (:mod:`.words`), the token view (:mod:`.base`), cues (:mod:`.cues`), content (:mod:`.content`), sources
(:mod:`.sources`) and speakers (:mod:`.speakers`).  Each module holds one mixin of
:class:`~khabar.attribution.sieve.Analyzer`, which runs them in order."""
