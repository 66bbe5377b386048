"""A tiny trained model home, made from made-up data, for tests that need the real `Service`.

`make_trained_home(tmp_path)` writes a raw data folder (the fixture performance tables plus made-up
films, and one script batch of generated screenplays titled after those films), then runs the real
`dataset.build` and `model.train` on it. Nothing here comes from the real corpus.
"""

from __future__ import annotations

import csv
import io
import random
import shutil
import tarfile
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Made-up films: (title, year, budget, worldwide gross, IMSDb genres). The first ones are already in
# tests/fixtures/performance; the rest are added to the test's own copy of the budgets table.
SCRIPTED_FILMS = [
    ("The Glass Harbor", 1998, 50e6, 150e6, "Drama"),
    ("Duel at Dawn", 1946, 6e6, 25e6, "Western"),
    ("Old Reel", 1975, 1e6, 3e6, "Drama"),
    ("Copper Lantern", 1991, 12e6, 40e6, "Mystery"),
    ("Starfall Express", 2003, 90e6, 310e6, "Sci-Fi"),
    ("Midnight Orchard", 1987, 4e6, 22e6, "Horror"),
    ("Laughing Gulls", 1995, 15e6, 61e6, "Comedy"),
    ("Iron Meridian", 2008, 140e6, 420e6, "Action"),
    ("Velvet Ledger", 1999, 25e6, 48e6, "Crime"),
    ("Paper Dragons", 2011, 60e6, 210e6, "Animation"),
    ("Winter Carousel", 1993, 9e6, 14e6, "Romance"),
    ("Sable Canyon", 1984, 18e6, 33e6, "Western"),
    ("Hollow Signal", 2014, 5e6, 88e6, "Horror"),
    ("Brass Comet", 2001, 75e6, 120e6, "Adventure"),
    ("Quiet Tenement", 1979, 2e6, 9e6, "Drama"),
    ("Neon Alibi", 1996, 30e6, 95e6, "Thriller"),
    ("Marigold Heist", 2005, 45e6, 160e6, "Crime"),
    ("Cobalt Frontier", 2016, 160e6, 520e6, "Sci-Fi"),
    ("Lemon Parade", 1989, 7e6, 35e6, "Comedy"),
    ("Ashen Crown", 2010, 110e6, 260e6, "Fantasy"),
    ("Tin Soldier Waltz", 1986, 11e6, 19e6, "Musical"),
    ("Granite Vow", 2002, 35e6, 70e6, "War"),
    ("Saffron Tides", 2007, 20e6, 55e6, "Romance"),
    ("Gravel Saints", 1994, 8e6, 26e6, "Crime"),
    ("Orbit of Thieves", 2012, 95e6, 380e6, "Action"),
]
# Films without a script: the film prior learns from the films the scripts are not about.
PRIOR_ONLY_FILMS = [(f"Unscripted Picture {chr(65 + i)}", 1980 + i, (3 + 4 * i) * 1e6, (8 + 9 * i) * 1e6)
                    for i in range(20)]

GENRE_WORDS = {
    "Drama": "letter hospital mother grief promise kitchen silence apology",
    "Western": "saddle sheriff dust canyon revolver ranch cattle saloon",
    "Mystery": "clue lantern detective ledger alibi footprint cellar secret",
    "Sci-Fi": "reactor orbit android hull airlock signal starship console",
    "Horror": "scream cellar shadow blood candle whisper corpse door",
    "Comedy": "pie wedding parrot cousin tuba prank banana karaoke",
    "Action": "explosion chase helicopter rooftop grenade convoy sniper motorcycle",
    "Crime": "vault heist detective cash getaway informant warehouse badge",
    "Animation": "dragon paper kite meadow puppy rainbow lantern giggle",
    "Romance": "kiss dance letter rain bouquet carousel heart balcony",
    "Adventure": "map jungle comet treasure raft cliff compass temple",
    "Thriller": "neon alibi knife phone stalker elevator tape witness",
    "Fantasy": "crown sword wizard ash throne spell castle raven",
    "Musical": "waltz song chorus stage trumpet curtain tap rehearsal",
    "War": "trench rifle platoon bunker medic ridge sergeant radio",
}
COMMON_WORDS = "the door opens and she looks at him across the room then turns away toward the window".split()
NAMES = ["NELL", "OWEN", "MARA", "JUDE", "TOMAS", "ILSE", "RAFE", "CORA", "DEX", "PIA", "HUGO", "LENA"]


def screenplay_text(title: str, year: int, genre: str, seed: int) -> str:
    """A short made-up screenplay in IMSDb's indented layout, with a title page and an IMSDb footer."""
    rng = random.Random(seed)
    words = GENRE_WORDS[genre].split() + COMMON_WORDS
    cast = rng.sample(NAMES, rng.randint(2, 6))
    lines = [f"{' ' * 30}{title.upper()}", "", f"{' ' * 35}Written by", "", f"{' ' * 33}Sam Penrose", "",
             f"{' ' * 30}First Draft - March 3, {year - 1}", "", f"{' ' * 10}FADE IN:", ""]
    for scene in range(rng.randint(15, 45)):
        place = rng.choice(["KITCHEN", "STATION", "ROOFTOP", "CANYON", "OFFICE", "BRIDGE", "CELLAR"])
        lines += [f"{' ' * 10}{rng.choice(['INT.', 'EXT.'])} {place} - {rng.choice(['DAY', 'NIGHT'])}", ""]
        lines += [f"{' ' * 10}{_sentence(rng, words, 14)}", ""]
        for _ in range(rng.randint(2, 6)):
            lines += [f"{' ' * 30}{rng.choice(cast)}", f"{' ' * 20}{_sentence(rng, words, 10)}", ""]
    lines += [f"{' ' * 50}FADE OUT.", "", "", title, "Writers :   Sam Penrose", f"Genres :   {genre}",
              "User Comments", "", "Back to IMSDb", ""]
    return "\n".join(lines)


# Words that the content flags and the spectacle features count, for a script with something to cite.
LOUD_WORDS = "gun blood explosion kill rocket crash whiskey damn fuck".split()


def feature_length_text(title: str, seed: int, scenes: int = 90, loud: float = 0.15) -> str:
    """A made-up feature-length screenplay (about 70 pages) in the indented layout: a cast of ten
    in busy, mostly night scenes, a share `loud` of its words violent, profane or spectacular."""
    rng = random.Random(seed)
    lines = [f"{' ' * 30}{title.upper()}", "", f"{' ' * 35}Written by", "", f"{' ' * 33}Sam Penrose", "",
             f"{' ' * 10}FADE IN:", ""]
    for _ in range(scenes):
        place = rng.choice(["DOCKS", "WAREHOUSE", "ROOFTOP", "TUNNEL", "DINER", "PRECINCT", "HIGHWAY"])
        lines += [f"{' ' * 10}{rng.choice(['INT.', 'EXT.'])} {place} - {rng.choice(['DAY', 'NIGHT', 'NIGHT'])}", ""]
        for _ in range(rng.randint(3, 8)):
            speaker = rng.choice(NAMES[:10])
            lines += [f"{' ' * 10}{_loud_sentence(rng, loud, 18)}", "",
                      f"{' ' * 30}{speaker}", f"{' ' * 20}{_loud_sentence(rng, loud, 12)}", ""]
    lines += [f"{' ' * 50}FADE OUT.", ""]
    return "\n".join(lines)


def _loud_sentence(rng: random.Random, loud: float, length: int) -> str:
    chosen = [rng.choice(LOUD_WORDS) if rng.random() < loud else rng.choice(COMMON_WORDS) for _ in range(length)]
    return " ".join(chosen).capitalize() + "."


def _sentence(rng: random.Random, words: list[str], length: int) -> str:
    return " ".join(rng.choice(words) for _ in range(length)).capitalize() + "."


def write_raw_data(data: Path) -> Path:
    """The performance tables (fixture copy + made-up films) and `scripts/batch-001.tar.xz`."""
    performance = data / "performance"
    shutil.copytree(FIXTURES / "performance", performance)
    _append_budgets(performance / "the_numbers_budgets.csv")
    scripts = data / "scripts"
    scripts.mkdir()
    with tarfile.open(scripts / "batch-001.tar.xz", "w:xz") as archive:
        for seed, (title, year, _, _, genre) in enumerate(SCRIPTED_FILMS):
            _add_member(archive, f"scripts/{title}.txt", screenplay_text(title, year, genre, seed).encode())
    return data


def _append_budgets(path: Path) -> None:
    known = path.read_text(encoding="utf-8")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    films = [(t, y, b, g) for t, y, b, g, _ in SCRIPTED_FILMS if t not in known] + PRIOR_ONLY_FILMS
    for rank, (title, year, budget, gross) in enumerate(films, start=100):
        writer.writerow([rank, f"Jun 1, {year}", title, f"${budget:,.0f}", f"${gross / 2:,.0f}", f"${gross:,.0f}"])
    path.write_text(known.rstrip("\n") + "\n" + buffer.getvalue(), encoding="utf-8")


def _add_member(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    archive.addfile(info, io.BytesIO(data))


def make_trained_home(tmp_path: Path) -> Path:
    """A model home under `tmp_path` with a dataset built and a model trained from made-up data."""
    from reelcast import dataset, model

    data = write_raw_data(tmp_path / "data")
    home = tmp_path / "home"
    summary = dataset.build(data=data, home=home, workers=1).summary
    if summary["training_rows"] < 20:
        raise RuntimeError(f"the made-up data gave only {summary['training_rows']} training rows: {summary}")
    model.train(home)
    return home
