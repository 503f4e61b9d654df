"""Passes 6 and 7 of the sieve (:mod:`khabar.attribution.sieve`): the actor a subject names, implicit speakers
(an earlier subject, an agreeing actor of the sentence, the last agreeing speaker), and each speaker resolved to
the fullest name the article gives."""
from __future__ import annotations

from ...text.normalize import fold
from ...lexicon import places, roles, verbs
from ..marks import ALL_MARKS
from .base import Reading
from .words import Actor, _contains_words, Cue, FRONT_BOUND, _is_comp, PARTICIPLE, _strip_al, _WORD, _word_kind


class SpeakerReading(Reading):
    """Speakers: subjects to actors, implicit speakers, fullest names."""

    def _verb_gender(self, c: Cue, actor) -> str:
        if c.gender in ("f", "m", "pl", "dual"):
            return c.gender
        return actor.gender if actor else "?"

    def _subject_before(self, i: int):
        """``وكان X قد قال`` / ``بأن X قال`` / ``لكن X رد``: the noun phrase right before the verb."""
        tk = self.tk
        t = tk.t
        sid = self.sent_id[i]
        k = i - 1
        if k >= 0 and t[k] in ("قد", "لقد"):
            k -= 1
        if k >= 0 and t[k] in ("،", ",", "؛", ";"):
            return None  # "...، وأكد": a comma before the verb, no subject before it
        end = k + 1
        while k >= 0 and self.sent_id[k] == sid and t[k] not in FRONT_BOUND and not _is_comp(t[k])[0] \
                and end - k <= 10 and t[k] not in ALL_MARKS and t[k] not in (":", ".", "؛"):
            k -= 1
        if k < 0 or self.sent_id[k] != sid:
            return None
        if t[k] not in FRONT_BOUND and not _is_comp(t[k])[0]:
            return None
        if t[k] in ("و", "حيث", "اذ", "قد", "فقد", "لقد", "وقد") :
            return None
        start = k + 1
        if end - start < 1:
            return None
        words = t[start:end]
        if any(w in verbs().forms for w in words):
            return None
        if words and words[0] in ("،", ","):
            return None
        return (start, end)

    def _implicit(self, c: Cue, sid: int, last_speaker, sent_subject, actors):
        g = c.gender
        if sid in sent_subject:
            a = sent_subject[sid]
            if self._agrees(a, g):
                return a
        # an actor named earlier in the same sentence (رفضت طهران التصريحات ووصفتها)
        cand = self._sentence_candidates(c.tok, sid, actors, g)
        for a in cand:
            if self._agrees(a, g):
                return a
        a = self._agreeing(last_speaker, g)
        if a is not None:
            return a
        return last_speaker[-1][0] if last_speaker else None

    def _agrees(self, a: Actor, g: str) -> bool:
        if g in ("?", "") or a.gender in ("?", ""):
            return True
        if g == a.gender:
            return True
        if g == "f" and a.kind in ("ORG", "GPE") and a.gender != "m":
            return True
        if g == "pl" and a.gender in ("pl",):
            return True
        if g == "dual" and a.gender in ("pl", "dual"):
            return True
        return False

    def _agreeing(self, last_speaker, g: str):
        seen = set()
        for a, ag in reversed(last_speaker[-6:]):
            if id(a) in seen:
                continue
            seen.add(id(a))
            if self._agrees(a, g):
                return a
        return None

    def _sentence_candidates(self, i: int, sid: int, actors, gender: str = "?"):
        tk = self.tk
        t = tk.t
        out = []
        pl = places()
        k = i - 1
        while k >= 0 and self.sent_id[k] == sid:
            w = t[k]
            if gender == "dual" and len(w) >= 6 and w.startswith(("ال", "وال")) and w.endswith("ان") \
                    and not _word_kind(w) and w.removeprefix("و") not in pl["countries"] \
                    and w.removeprefix("و") not in pl["capitals"] \
                    and (k == 0 or t[k - 1] not in ("من", "في", "الي", "علي", "عن", "بين")):
                # وقالتا after ودفعت المرأتان: a definite dual noun is the dual verb's subject
                out.append(self._register(actors, (k, k + 1), "PER", "dual"))
                k -= 1
                continue
            base = w[1:] if w.startswith(("و", "ب", "ل")) and len(w) > 3 else w
            if w in pl["capitals"] or w in pl["countries"] or base in pl["countries"]:
                out.append(self._register(actors, (k, k + 1), "GPE", "f"))
            else:
                kind = _word_kind(w)
                if kind and kind[0] in ("org", "group", "title") and k + 1 < i and t[k - 1] not in ("من", "في", "الي", "علي", "عن", "ب", "ل"):
                    parts = self._np_after(k, i)
                    if parts:
                        a = self._register(actors, parts[0], "ORG" if kind[0] == "org" else "PER", kind[1])
                        out.append(a)
            if t[k] in ALL_MARKS and k in tk.close_of:
                o = tk.close_of[k]
                if o + 1 < k and _word_kind(t[o + 1]) and _word_kind(t[o + 1])[0] == "org":
                    out.append(self._register(actors, (o + 1, k), "ORG", _word_kind(t[o + 1])[1]))
                k = o
            k -= 1
        # last: the person named right after the sentence's first word, the subject of a verb-first sentence
        # (واستغاث كيم طالبا المساعدة، قائلا إن ...)
        s0 = k + 1
        if s0 + 1 < i:
            span = self._entity_at(s0 + 1, i, ("PER",))
            if span:
                out.append(self._register(actors, span, "PER", "?"))
        return out

    def _entity_at(self, k: int, limit: int, labels):
        """Token range [k, x) of an NER entity of one of ``labels`` that starts at token k and ends before token
        ``limit``, else None."""
        ent = self._entity_starting(k, labels)
        if ent is None:
            return None
        x = self._entity_end(ent, k, limit)
        return (k, x) if x > k else None

    def _quote_actor(self, c, subj, actors, last_speaker, sent_subject, sid):
        if subj and c.kind != PARTICIPLE:
            a = self._actor_for(subj, c, actors)
            if a:
                return a
        return self._implicit(c, sid, last_speaker, sent_subject, actors)

    def _actor_for(self, parts, c: Cue, actors):
        """The actor named by a subject noun phrase (parts: token ranges of the head and its appositions)."""
        if not parts:
            return None
        t = self.tk.t
        head = parts[0]
        hw = [t[k] for k in range(*head)]
        if not hw:
            return None
        hk = _word_kind(hw[0])
        kind, gender = self._actor_kind(hw, hk, c)
        name_part = self._name_part(parts, hw, hk)
        span = name_part or (parts[0][0], parts[-1][1] if (hk and hk[1] == "pl") else parts[0][1])
        a = self._register(actors, span, kind, gender)
        self._note_roles(a, parts)
        return a

    def _actor_kind(self, hw: list, hk, c: Cue) -> tuple[str, str]:
        """(PER/ORG/DOC/GPE, gender) of a subject from its head words ``hw`` (``hk``: the first's roles entry)
        and the verb's gender."""
        kind = "PER"
        gender = c.gender if c.gender in ("m", "f", "pl", "dual") else "?"
        pl = places()
        if hk:
            if hk[0] == "org":
                kind = "ORG"
            elif hk[0] == "doc":
                kind = "DOC"
            if gender == "?":
                gender = hk[1]
        if len(hw) <= 3 and (" ".join(hw) in pl["countries"] or hw[0] in pl["capitals"] or hw[0] in pl["countries"]):
            kind = "GPE"
        return kind, gender

    def _name_part(self, parts, hw: list, hk):
        """The part of a subject that is the speaker's name, or None: an apposition after a singular title
        (وزير الخارجية، محمد جواد ظريف), the head when it is no role word, a name inside a definite title
        (الدكتور عبدالله البرقان، المتحدث باسم الجيش المقدم جوناثن كونركوس)."""
        t = self.tk.t
        head = parts[0]
        title = bool(hk) and hk[0] == "title" and hk[1] != "pl"
        if len(parts) > 1 and title:
            for a, b in parts[1:]:
                w0 = t[a]
                if not _word_kind(w0) and b - a <= 4 and not w0.startswith("و"):
                    return (a, b)
        if len(parts) > 1 and not hk:
            return head
        if title and hw[0].startswith("ال"):
            return self._leading_name(head) or self._trailing_name(head)
        return None

    def _note_roles(self, a: Actor, parts) -> None:
        """An actor's role words (titles, nisbas, states) and mentions from a subject's parts."""
        t = self.tk.t
        pl = places()
        a.role_tokens |= {_strip_al(t[k]) for p_ in parts for k in range(*p_)
                          if _word_kind(t[k]) or t[k] in pl["nisbas"] or _strip_al(t[k]) in pl["nisbas"]}
        a.role_tokens |= {t[k] for p_ in parts for k in range(*p_) if t[k] in pl["countries"]}
        for p_ in parts:
            a.mentions.append(self._key(p_))

    def _name_like(self, w: str) -> bool:
        pl = places()
        return bool(_WORD.fullmatch(w)) and not _word_kind(w) and w not in pl["countries"] \
            and w not in pl["capitals"] and w not in pl["nisbas"] and _strip_al(w) not in pl["nisbas"] \
            and not w.isdigit() and not w.startswith(("ال", "لل", "بال", "ل", "ب", "و"))

    def _leading_name(self, span):
        """``الدكتور عبدالله البرقان رئيس لجنة ...`` → the name right after an honorific or rank."""
        t = self.tk.t
        a, b = span
        k0 = roles().get(t[a])
        if not k0 or k0[2] not in ("honorific", "military") or a + 1 >= b or not self._name_like(t[a + 1]):
            return None
        k = a + 1
        while k < b and k - a <= 4 and (self._name_like(t[k]) or (k > a + 1 and t[k].startswith("ال")
                                                                   and not _word_kind(t[k]))):
            k += 1
            if t[k - 1].startswith("ال"):
                break
        return (a + 1, k)

    def _trailing_name(self, span):
        """``المتحدث باسم الجيش المقدم جوناثن كونركوس`` → the name at the end of a role phrase (or None)."""
        t = self.tk.t
        a, b = span
        pl = places()
        k = b
        while k > a:
            w = t[k - 1]
            if not _WORD.fullmatch(w) or _word_kind(w) or w in pl["countries"] or w in pl["capitals"] \
                    or w in pl["nisbas"] or _strip_al(w) in pl["nisbas"] or w.isdigit():
                break
            if w.startswith(("ال", "لل", "بال")) and not (k == b and k - 2 >= a and self._name_like(t[k - 2])):
                break
            if w.startswith("ل") and len(w) > 3 and k < b:
                break
            k -= 1
        if k == a or b - k > 4 or k == b:
            return None
        return (k, b)

    def _second_speaker(self, q: dict, k: int, actors) -> dict:
        """The same quote spoken by the second of two coordinated states (token k, after its و)."""
        other = self._register(actors, (k, k + 1), "GPE", "?", skip=1)
        return dict(q, actor=other, mention=[(k, k + 1)], mention_skip=1, coord=True)

    def _coordinated_places(self, subj):
        """(i, j) when the subject starts with two coordinated state names, ``موسكو وطهران`` (token j carries
        the و), else None."""
        a, b = subj[0]
        if b - a < 2:
            return None
        t = self.tk.t
        pl = places()
        w0, w1 = t[a], t[a + 1]
        if (w0 in pl["capitals"] or w0 in pl["countries"]) and w1.startswith("و") \
                and (w1[1:] in pl["capitals"] or w1[1:] in pl["countries"]):
            return a, a + 1
        return None

    def _register(self, actors, span, kind, gender, skip: int = 0):
        """The actor named by tokens span (``skip``: characters of a glued conjunction before the name, for a
        one-token span)."""
        key = self._key(span)[skip:]
        for a in actors:
            if a.key == key:
                if a.gender in ("?", "") and gender not in ("?", ""):
                    a.gender = gender
                return a
        s, e = self.orig(self.tk.s[span[0]] + skip, self.tk.e[span[1] - 1])
        name = self.text[s:e].strip(" ،,.:\"«»")
        a = Actor(name=name, key=key, gender=gender, kind=kind, first=span[0])
        a.mentions.append(key)
        actors.append(a)
        return a

    def _resolve(self, quotes, actors):
        """Pass 7: each quote's speaker, the fullest name of its actor (:meth:`_fullest`)."""
        named = [a for a in actors if a.key and not _word_kind(a.key.split()[0])]
        for q in quotes:
            a = q["actor"]
            q["speaker"] = None if a is None else self._fullest(a, named, actors).name

    def _fullest(self, a: Actor, named: list, actors) -> Actor:
        """The actor with the fullest name for ``a``: a surname or short name → the one longer name containing
        it; a role → the named actor that holds it (:meth:`_role_holder`); else ``a``."""
        words = a.key.split()
        if words and not _word_kind(words[0]) and len(words) <= 2:
            longer = [b for b in named if b is not a and len(b.key.split()) > len(words)
                      and _contains_words(b.key, a.key) and len(b.key.split()) <= 4]
            keys = {b.key for b in longer}
            return longer[0] if len(keys) == 1 else a
        if words and _word_kind(words[0]) and _word_kind(words[0])[0] == "title":
            return self._role_holder(a, words, actors)
        return a

    def _role_holder(self, a: Actor, words: list, actors) -> Actor:
        """A definite role (``الرئيس``) → the actor last mentioned with it; an indefinite role (``دبلوماسي بريطاني
        بارز``) → the actor introduced later with a role of the same class and nationality (else an earlier
        one); ``a`` when none."""
        cands = self._role_candidates(a, words, actors)
        if not cands:
            return a
        prior = [b for b in cands if b.first <= a.first]
        if words[0].startswith("ال"):
            return prior[-1] if prior else a
        later = [b for b in cands if b.first > a.first]
        return later[0] if later else (prior[-1] if prior else a)

    def _role_candidates(self, a: Actor, words: list, actors) -> list:
        """The actors that may hold the role ``words`` of ``a``: with all its role words, or (indefinite role)
        a compatible one (:meth:`_role_compatible`)."""
        rt = {_strip_al(w) for w in words}
        cands = []
        for b in actors:
            if b is a or not b.role_tokens:
                continue
            bname = b.key.split()
            if bname and _word_kind(bname[0]):
                # b's own name is a role too: accept when it contains all the role words
                if rt <= {_strip_al(w) for w in bname} and len(bname) > len(words):
                    cands.append(b)
                continue
            if rt <= b.role_tokens:
                cands.append(b)
            elif not words[0].startswith("ال") and self._role_compatible(words, b):
                cands.append(b)
        return cands

    def _role_compatible(self, words, b: Actor) -> bool:
        r = roles()
        cls_a = {r[w][2] for w in words if w in r}
        cls_b = {r[w][2] for w in b.role_tokens if w in r} | {r["ال" + w][2] for w in b.role_tokens if "ال" + w in r}
        if not (cls_a & cls_b) or cls_a <= {"honorific"}:
            return False
        pl = places()
        nat_a = {pl["nisbas"].get(_strip_al(w)) for w in words} - {None}
        nat_b = {pl["nisbas"].get(w) for w in b.role_tokens} | {w for w in b.role_tokens if w in pl["countries"]}
        nat_b = {fold(x) if x else x for x in nat_b} - {None}
        nat_a = {fold(x) for x in nat_a}
        return bool(nat_a & nat_b)
