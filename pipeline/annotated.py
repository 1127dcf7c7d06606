"""Annotated sets: articles with their gold statements (by ../shared/eval/GUIDELINES.md), the
crisis each article is about, and the split of crises into train and test.

A set is a folder with `articles.jsonl` (`id`, `url`, `source`, `published`, `title`, `text`,
and for the real corpus `crisis`) and `gold.jsonl` (`doc_id`, `quote`, `speaker`, `country`,
`date`, `stance`, `score`); the real corpus adds `splits.json` (`{"train": [crisis, ...],
"test": [...]}`), whole crises on either side so that a test score is a score on crises the
model never saw.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from .datafiles import DATA_DIR

REAL_CORPUS = DATA_DIR.parent / "eval" / "real"
RESERVED_URLS = DATA_DIR.parent.parent / "shared" / "eval" / "reserved_urls.sha256"


class SetError(ValueError):
    """An annotated set is malformed; `str()` names the file, the line and the problem."""


@dataclass(frozen=True)
class AnnotatedSet:
    folder: Path
    articles: list[dict]
    gold: list[dict]

    @classmethod
    def load(cls, folder: str | Path) -> "AnnotatedSet":
        folder = Path(folder)
        return cls(folder, read_jsonl(folder / "articles.jsonl"), read_jsonl(folder / "gold.jsonl"))

    @property
    def crisis_of(self) -> dict[str, str]:
        """doc_id -> crisis ("" when the set does not say)."""
        return {a["id"]: a.get("crisis", "") for a in self.articles}

    def splits(self) -> dict[str, list[str]]:
        path = self.folder / "splits.json"
        try:
            splits = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SetError(f"{path}: cannot read the splits ({exc})") from None
        if set(splits) != {"train", "test"} or set(splits["train"]) & set(splits["test"]):
            raise SetError(f"{path}: needs disjoint 'train' and 'test' lists of crises")
        return splits

    def subset(self, crises: list[str] | set[str]) -> "AnnotatedSet":
        """The articles of these crises and their gold rows."""
        crises = set(crises)
        articles = [a for a in self.articles if a.get("crisis") in crises]
        ids = {a["id"] for a in articles}
        return AnnotatedSet(self.folder, articles, [g for g in self.gold if g["doc_id"] in ids])

    def write(self, folder: str | Path) -> tuple[Path, Path]:
        """The set's two files in `folder` (for the scorer, which reads files)."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        articles, gold = folder / "articles.jsonl", folder / "gold.jsonl"
        articles.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in self.articles), encoding="utf-8")
        gold.write_text("".join(json.dumps(g, ensure_ascii=False) + "\n" for g in self.gold), encoding="utf-8")
        return articles, gold


def read_jsonl(path: Path) -> list[dict]:
    rows = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise SetError(f"{path}: cannot read ({exc.strerror or exc})") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except ValueError as exc:
            raise SetError(f"{path}:{number}: not JSON ({exc})") from None
    return rows


def normalised_url(url: str) -> str:
    """The url as the reserved list hashes it: lower case, no scheme, no leading www., no trailing /."""
    url = re.sub(r"^[a-z][a-z0-9+.-]*://", "", url.strip().lower())
    return re.sub(r"^www\.", "", url).rstrip("/")


def url_hash(url: str) -> str:
    return hashlib.sha256(normalised_url(url).encode("utf-8")).hexdigest()


def reserved_hashes(path: Path = RESERVED_URLS) -> set[str]:
    """The hashes of the hidden set's urls, which the project must never use."""
    return {line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")}


# Words of a crisis slug that name its episode, not its parties: "gaza-ceasefire-2025" and
# "gaza-war-2023" are one conflict.
EPISODE_WORDS = frozenset({"war", "ceasefire", "peace", "talks", "truce", "deal", "summit", "coup", "crisis", "strikes"})


# Crises whose slug does not begin with its parties, and episodes of one conflict named apart.
CONFLICT_OF_CRISIS: dict[str, str] = {
    "south-china-sea-2021": "china-philippines", "south-china-sea-2023-24": "china-philippines",
    "south-china-sea-ruling-2016": "china-philippines",
    "south-china-sea-vietnam-2019": "china-vietnam", "south-china-sea-vietnam-2020": "china-vietnam",
    "koreas-dmz-2015": "koreas", "myanmar-civil-war-2025": "myanmar",
    "yemen-truce-2022": "saudi-yemen", "saudi-houthi-talks-2023": "saudi-yemen", "houthi-uae-2022": "saudi-yemen",
    "houthi-red-sea-2024": "houthis-israel", "israel-houthis-2024": "houthis-israel",
    "gaza-war-2023": "gaza-israel", "gaza-ceasefire-2025": "gaza-israel", "israel-hamas-2021": "gaza-israel",
    "israel-gaza-islamic-jihad-2019-23": "gaza-israel",
    "turkey-pkk-2025": "pkk-turkey", "iraq-turkey-pkk": "pkk-turkey", "iraq-turkey-zakho-2022": "pkk-turkey",
}


def conflict_of(crisis: str) -> str:
    """The conflict a crisis slug belongs to: `CONFLICT_OF_CRISIS` where listed, else its first two
    party words in alphabetical order ("india-pakistan-2019" and "india-pakistan-ceasefire-2021" ->
    "india-pakistan"; "serbia-kosovo-2022" and "kosovo-serbia-2023" -> "kosovo-serbia"). Held-out
    evaluation holds out whole conflicts, so that no episode of a test conflict is learnt from."""
    if crisis in CONFLICT_OF_CRISIS:
        return CONFLICT_OF_CRISIS[crisis]
    parties = [w for w in crisis.lower().split("-") if w and not w.isdigit() and w not in EPISODE_WORDS]
    return "-".join(sorted(parties[:2])) or crisis
