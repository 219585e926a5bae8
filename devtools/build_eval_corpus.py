"""`onrust eval corpus GIT_DIR`: rebuild the local texts of the real evaluation sets from a git archive.

The labels of the real set (data/eval/real_news_labels.jsonl) are ours, the texts the outlets':
they stay out of this repository and live in var/eval/ (git-ignored). They come from a public
archive of Dutch feed items kept as a Jekyll site (github:wijnandb/leestmeer, 2019): one
Markdown file per item under a `_posts/` folder, front matter with the title, the date and the
outlet's link, the feed's summary as the body. The archive deleted its posts from later commits,
so every post blob in the whole history is read (`git rev-list --all --objects`, then one
streamed `git cat-file --batch`: ~140,000 blobs in seconds, not one process per blob).

An item is recognised by its text hash, never by its path or link: a label row holds
sha256(title + "\\n" + summary)[:16] of the text it was labelled from, so only the exact text
labelled enters the corpus, under the label row's id. The title is tried as written in the front
matter and the body as written; then both as plain text (collectors.feeds.html_to_text), as the
labeller may have seen either.

The same archive gives the background stream of `onrust eval temperature`: a month of real
regional and 112 items of one region, in the form the collectors store (plain text, published
time), chosen by the rule in BACKGROUND_OUTLETS and BACKGROUND_MONTH (data/eval/README.md).
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import IO, Any

from collectors.feeds import html_to_text
from devtools.eval_real import LABELS_FILE, SPLITS, text_hash
from onrust.errors import UserError
from onrust.paths import DATA_DIR

# The background month: the archive's fullest month (~27,000 posts) with the regional editions.
BACKGROUND_MONTH = "2019-05"
# Items of the month that report real unrest (ids, judged by hand): left out of the background.
UNREST_FILE = DATA_DIR / "eval" / "background_unrest.tsv"
# The nine municipalities of the veiligheidsregio Haaglanden, as the archive's categories write them.
HAAGLANDEN = frozenset({"den_haag", "delft", "leidschendam-voorburg", "midden-delfland", "pijnacker-nootdorp",
                        "rijswijk", "wassenaar", "westland", "zoetermeer"})
# One region's regional and 112 outlets (Haaglanden), by the start of the item's link: (link prefix
# after the scheme and "www.", outlet name, categories of which the item must carry one, or none).
BACKGROUND_OUTLETS: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("omroepwest.nl/", "Omroep West", frozenset()),
    ("ad.nl/den-haag/", "AD Den Haag", frozenset()),
    ("ad.nl/delft/", "AD Delft", frozenset()),
    ("ad.nl/westland/", "AD Westland", frozenset()),
    ("ad.nl/zoetermeer/", "AD Zoetermeer", frozenset()),
    ("politie.nl/nieuws/", "Politie (Haaglanden)", HAAGLANDEN),
)

# The longest lead of whole sentences the later labelling rounds took from a body without paragraphs.
LEAD_CHARS = 500
_PARAGRAPH = re.compile(r"<p[^>]*>(.*?)</p>", re.S)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_POST = re.compile(r"---\r?\n(.*?)\r?\n---[^\n]*(?:\n(.*))?\Z", re.S)
_KEY = re.compile(r"([A-Za-z_][\w-]*):[ \t]*(.*)")
_ESCAPES = {"\\": "\\", '"': '"', "/": "/", "n": "\n", "t": "\t", "r": "\r", "0": "\0", " ": " "}
_ESCAPE = re.compile(r'\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]{2}|.)', re.S)


@dataclass(frozen=True, slots=True)
class Post:
    path: str
    title: str  # as written, YAML scalar decoded
    body: str  # Markdown/HTML as written, stripped
    published: datetime | None
    link: str
    categories: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Build:
    posts: int  # post blobs read
    corpus: tuple[dict[str, str], ...]  # sorted by id
    matched: dict[str, int]  # per split
    missing: dict[str, int]
    missing_ids: tuple[str, ...]
    background: tuple[dict[str, str], ...]  # sorted by published, id
    background_by_outlet: dict[str, int]
    background_unrest: int  # items of the month left out as real unrest (UNREST_FILE)


def post_blobs(git_dir: Path) -> list[tuple[str, str]]:
    """(blob id, path) of every post file in the whole history, each blob once."""
    listing = _git(git_dir, "rev-list", "--all", "--objects", "--missing=allow-any")
    found = []
    for line in listing.splitlines():
        sha, _, path = line.partition(" ")
        if (path.startswith("_posts/") or "/_posts/" in path) and path.endswith((".md", ".markdown")):
            found.append((sha, path))
    return found


def read_blobs(git_dir: Path, shas: Sequence[str]) -> Iterator[tuple[str, bytes]]:
    """The blobs' bytes through one `git cat-file --batch`; a thread feeds the ids so neither
    pipe can fill up and stall the other."""
    proc = subprocess.Popen(["git", "--git-dir", str(git_dir), "cat-file", "--batch"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert proc.stdin is not None and proc.stdout is not None

    def feed(pipe: IO[bytes]) -> None:
        try:
            for sha in shas:
                pipe.write(f"{sha}\n".encode())
        finally:
            pipe.close()

    writer = threading.Thread(target=feed, args=(proc.stdin,), daemon=True)
    writer.start()
    try:
        for _ in shas:
            header = proc.stdout.readline().split()
            if len(header) < 3:  # "<sha> missing": a blob the partial mirror lacks
                continue
            data = proc.stdout.read(int(header[2]))
            proc.stdout.read(1)  # the newline after each object
            yield header[0].decode(), data
    finally:
        proc.stdout.close()
        writer.join()
        proc.wait()


def _git(git_dir: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", "--git-dir", str(git_dir), *args], capture_output=True, check=True)
    except FileNotFoundError as exc:
        raise UserError("git is niet gevonden; het archief wordt met git gelezen.") from exc
    except subprocess.CalledProcessError as exc:
        raise UserError(f"{git_dir} is geen leesbare git-map: {exc.stderr.decode(errors='replace').strip()}") from exc
    return done.stdout.decode("utf-8", errors="surrogateescape")


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    if code[0] in "uUx" and len(code) > 1:
        return chr(int(code[1:], 16))
    return _ESCAPES.get(code, "\\" + code)


def _fold(text: str) -> str:
    """YAML line folding inside a quoted scalar: a line break is a space, an empty line a newline."""
    lines = [line.strip() for line in text.split("\n")]
    out = lines[0]
    for line in lines[1:]:
        out += "\n" if not line else ("" if out.endswith("\n") or not out else " ") + line
    return out


def _scalar(raw: str) -> str:
    """The few YAML scalar forms the archive's front matter uses (no YAML library is needed for
    `key: "value"` lines, and this one never executes tags)."""
    raw = raw.strip()
    if raw.startswith('"'):
        inner = raw[1:-1] if raw.endswith('"') and len(raw) > 1 and raw[-2] != "\\" else raw[1:]
        return _ESCAPE.sub(_unescape, _fold(inner))
    if raw.startswith("'"):
        inner = raw[1:-1] if raw.endswith("'") and len(raw) > 1 else raw[1:]
        return _fold(inner).replace("''", "'")
    return _fold(raw)


def _front_matter(front: str) -> tuple[dict[str, str], tuple[str, ...]]:
    fields: dict[str, list[str]] = {}
    categories: list[str] = []
    key = ""
    for line in front.split("\n"):
        found = _KEY.match(line)
        if found and not line[0].isspace():
            key = found.group(1)
            fields.setdefault(key, []).append(found.group(2))
        elif line.strip().startswith("- ") and key == "categories":
            categories.append(line.strip()[2:].strip())
        elif key in fields:
            fields[key].append(line)  # a quoted scalar running over more lines
    values = {k: _scalar("\n".join(v)) for k, v in fields.items()}
    if not categories and values.get("category"):
        categories.append(values["category"])
    return values, tuple(c.strip("\"'").lower() for c in categories)


def _published(value: str) -> datetime | None:
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        try:
            when = datetime.fromisoformat(value)
        except ValueError:
            return None
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC)


def parse_post(path: str, text: str) -> Post | None:
    """A Jekyll post: front matter between two `---` lines, the body after it; None otherwise.
    The body keeps its line ends as written (some feeds wrote CRLF, and the hash is of that)."""
    found = _POST.match(text)
    if found is None:
        return None
    fields, categories = _front_matter(found.group(1).replace("\r\n", "\n"))
    if "title" not in fields:
        return None
    return Post(path, fields["title"], (found.group(2) or "").strip(), _published(fields.get("date", "")),
                fields.get("externe_link", ""), categories)


def read_posts(git_dir: Path) -> Iterator[Post]:
    blobs = post_blobs(git_dir)
    paths = dict(blobs)
    for sha, data in read_blobs(git_dir, [sha for sha, _ in blobs]):
        post = parse_post(paths[sha], data.decode("utf-8", errors="replace"))
        if post is not None:
            yield post


def texts(post: Post) -> Iterator[tuple[str, str]]:
    """The (title, summary) forms the labellers saw. The first round took the body whole, as
    written or as plain text; later rounds took the lead only: the first paragraph of an HTML
    body, or of a plain body its first sentences up to about 480 characters, a WordPress
    excerpt's "[…]" shortened to "…". Each prefix of whole sentences up to LEAD_CHARS is tried,
    as the labellers' sentence splitter is not ours."""
    as_written = post.title.strip(), post.body
    yield as_written
    title, plain = html_to_text(post.title), html_to_text(post.body)
    if (title, plain) != as_written:
        yield title, plain
    leads = []
    first = _PARAGRAPH.search(post.body)
    if first:
        leads.append(html_to_text(first.group(1)))
    if plain.endswith(" […]"):
        leads.append(plain[:-4] + " …")
    sentences = _SENTENCE_END.split(plain)
    for n in range(1, len(sentences)):
        lead = " ".join(sentences[:n])
        if len(lead) > LEAD_CHARS:
            break
        leads.append(lead)
    for lead in dict.fromkeys(leads):
        for shown in dict.fromkeys((as_written[0], title)):
            yield shown, lead


def load_labels(path: Path = LABELS_FILE) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def match(posts: Iterable[Post], labels: Sequence[dict[str, Any]]) -> dict[str, tuple[str, str]]:
    """Label id -> (title, summary) of the post whose text has the label row's hash."""
    by_hash: dict[str, list[str]] = {}
    for row in labels:
        by_hash.setdefault(row["text_sha256"], []).append(row["id"])
    found: dict[str, tuple[str, str]] = {}
    for post in posts:
        for title, summary in texts(post):
            for item_id in by_hash.get(text_hash(title, summary), ()):
                found.setdefault(item_id, (title.strip(), summary.strip()))
    return found


def _link_key(link: str) -> str:
    return re.sub(r"^https?://(www\.)?", "", link.strip())


def background_outlet(post: Post) -> str | None:
    """The outlet's name when the post belongs to the background stream's region, else None."""
    key = _link_key(post.link)
    for prefix, name, categories in BACKGROUND_OUTLETS:
        if key.startswith(prefix) and (not categories or categories.intersection(post.categories)):
            return name
    return None


def background(posts: Iterable[Post], month: str = BACKGROUND_MONTH) -> list[dict[str, str]]:
    """One row per item of the region in the month, in the form the collectors store: plain text
    (html_to_text), the published time in UTC; an item kept in several versions counts once
    (the first read, i.e. of the newest commit)."""
    rows: dict[str, dict[str, str]] = {}
    for post in posts:
        outlet = background_outlet(post)
        when = post.published
        if outlet is None or when is None or when.strftime("%Y-%m") != month:
            continue
        item_id = hashlib.sha256(_link_key(post.link).encode()).hexdigest()[:12]
        rows.setdefault(item_id, {"id": item_id, "outlet": outlet, "published": when.isoformat(),
                                  "title": html_to_text(post.title), "summary": html_to_text(post.body)})
    return sorted(rows.values(), key=lambda r: (r["published"], r["id"]))


def unrest_ids(path: Path = UNREST_FILE) -> frozenset[str]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    return frozenset(line.split("\t", 1)[0] for line in lines[1:])


def build(git_dir: Path, labels: Sequence[dict[str, Any]], unrest: frozenset[str] = frozenset(),
          month: str = BACKGROUND_MONTH) -> Build:
    posts = list(read_posts(git_dir))
    found = match(posts, labels)
    corpus = tuple({"id": i, "title": t, "summary": s} for i, (t, s) in sorted(found.items()))
    matched = {split: sum(1 for r in labels if r["split"] == split and r["id"] in found) for split in SPLITS}
    missing = {split: sum(1 for r in labels if r["split"] == split and r["id"] not in found) for split in SPLITS}
    month_items = background(posts, month)
    stream = tuple(row for row in month_items if row["id"] not in unrest)
    outlets: dict[str, int] = {}
    for row in stream:
        outlets[row["outlet"]] = outlets.get(row["outlet"], 0) + 1
    return Build(len(posts), corpus, matched, missing,
                 tuple(sorted(r["id"] for r in labels if r["id"] not in found)), stream, outlets,
                 len(month_items) - len(stream))


def jsonl(rows: Iterable[dict[str, str]]) -> str:
    """Deterministic JSON lines: the same archive gives the same bytes."""
    return "".join(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n" for row in rows)
