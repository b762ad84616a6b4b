"""German words for the forum search: PostgreSQL's 'german' text-search configuration, rebuilt for SQLite.

PostgreSQL lower-cases each word, drops the Snowball German stop words and reduces the rest to
their Snowball stem ("Checklisten" → "checklist", "Bürgersprechstunden" → "burgersprechstund").
SQLite has no German analysis of its own, so its FTS5 index (``forum_thread_fts``) is fed with the
stems made here, and a search looks them up the same way. The stemmer is ``snowballstemmer`` 2.2.0,
the Snowball release PostgreSQL 15 ships (3.x stems differently: "aktuell" → "aktull"); the stop
words are PostgreSQL's ``tsearch_data/german.stop``. Like PostgreSQL, compounds are not split.
"""
import functools
import re
import threading
import unicodedata

import snowballstemmer

# The threads holding the words of an FTS5 query (the one parameter), and each one's rank as PostgreSQL
# orders them (forum.services.search): bm25 of the title, negated so higher is better; the posts' words
# (each stored once) weigh nothing, so threads that hold the words in their posts only rank alike and the
# newest comes first.
MATCHING_THREAD_IDS = "SELECT rowid FROM forum_thread_fts WHERE forum_thread_fts MATCH %s"
MATCHES_WITH_RANK = ("SELECT rowid, -bm25(forum_thread_fts, 1.0, 0.0) FROM forum_thread_fts "
                     "WHERE forum_thread_fts MATCH %s")
THREAD_RANK = ('SELECT -bm25(forum_thread_fts, 1.0, 0.0) FROM forum_thread_fts '
               'WHERE forum_thread_fts MATCH %s AND rowid = "forum_thread"."id"')

# PostgreSQL's tsearch_data/german.stop (Snowball's German stop word list), word for word.
GERMAN_STOP = """
aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes anderm
andern anderr anders auch auf aus bei bin bis bist da damit dann der den des dem die das daß derselbe
derselben denselben desselben demselben dieselbe dieselben dasselbe dazu dein deine deinem deinen deiner
deines denn derer dessen dich dir du dies diese diesem diesen dieser dieses doch dort durch ein eine einem
einen einer eines einig einige einigem einigen einiger einiges einmal er ihn ihm es etwas euer eure eurem
euren eurer eures für gegen gewesen hab habe haben hat hatte hatten hier hin hinter ich mich mir ihr ihre
ihrem ihren ihrer ihres euch im in indem ins ist jede jedem jeden jeder jedes jene jenem jenen jener jenes
jetzt kann kein keine keinem keinen keiner keines können könnte machen man manche manchem manchen mancher
manches mein meine meinem meinen meiner meines mit muss musste nach nicht nichts noch nun nur ob oder ohne
sehr sein seine seinem seinen seiner seines selbst sich sie ihnen sind so solche solchem solchen solcher
solches soll sollte sondern sonst über um und uns unse unsem unsen unser unses unter viel vom von vor
während war waren warst was weg weil weiter welche welchem welchen welcher welches wenn werde werden wie
wieder will wir wird wirst wo wollen wollte würde würden zu zum zur zwar zwischen
"""
STOP_WORDS = frozenset(GERMAN_STOP.split())

# A word is a run of letters and digits; nothing else ever reaches tsquery or FTS5 query syntax.
WORD = re.compile(r"[^\W_]+")
# PostgreSQL passes no word over 1000 bytes to the stemmer and indexes none over 2047 bytes.
UNSTEMMED_BYTES, MAX_WORD_BYTES = 1000, 2047

_local = threading.local()  # a Snowball stemmer keeps state while it works: one per thread


def words(text: str) -> list[str]:
    """The words of a text as written, composed (NFC) so that "é" typed as e + accent is one letter."""
    return WORD.findall(unicodedata.normalize("NFC", text or ""))


@functools.lru_cache(maxsize=100_000)
def _stem(word: str) -> str:
    if not hasattr(_local, "stemmer"):
        _local.stemmer = snowballstemmer.stemmer("german")
    return _local.stemmer.stemWord(word)


def lexemes(text: str) -> list[str]:
    """What PostgreSQL's to_tsvector('german', text) keeps of each word: its stem, stop words left out."""
    found = []
    for word in words(text):
        word = word.lower()
        size = len(word.encode())
        if word in STOP_WORDS or size > MAX_WORD_BYTES:
            continue
        found.append(word if size > UNSTEMMED_BYTES else _stem(word))
    return found


_SPELLED_UMLAUT = re.compile("ae|oe|ue", re.IGNORECASE)
_UMLAUT = {"ae": "ä", "oe": "ö", "ue": "ü"}


def spellings(word: str) -> list[str]:
    """A searched word as typed and, where it writes an umlaut as ae, oe or ue (no umlaut keys, an
    English keyboard), with the umlaut: "Foerderung" also finds "Förderung". A word with a real
    "ue" ("Steuer") gains a spelling that finds nothing more."""
    spelled = _SPELLED_UMLAUT.sub(lambda match: _UMLAUT[match.group().lower()], word)
    return [word] if spelled == word else [word, spelled]


def searched_words(terms: list[str]) -> list[list[str]]:
    """Per searched word its spellings; a word that is a stop word in any spelling ("fuer" is "für")
    is left out, as a stop word is, so it never becomes a word every thread must hold."""
    return [options for options in map(spellings, terms)
            if not any(option.lower() in STOP_WORDS for option in options)]


def stem_groups(terms: list[str]) -> list[list[str]]:
    """Per searched word the stems of its spellings (a stop word gives none and is left out)."""
    groups = []
    for options in searched_words(terms):
        group = list(dict.fromkeys(stem for spelling in options for stem in lexemes(spelling)))
        if group:
            groups.append(group)
    return groups


def fts5_match(groups: list[list[str]]) -> str:
    """An FTS5 query for threads holding, for every searched word, one of its stems as a word beginning,
    as PostgreSQL's ('stem':* | 'stem':*) does.

    Each stem is letters and digits only and is quoted: "OR", "AND" or "NEAR" typed in the search box
    are words to find, never operators, and quotes, asterisks or parentheses are no part of any word.
    """
    return " AND ".join("(" + " OR ".join(f'"{stem}"*' for stem in group) + ")" for group in groups)
