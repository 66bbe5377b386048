"""`python -m bench.verdicts`: the figures decision 005 reports for the trained model in `$REELCAST_HOME`
(default ./var) — the verdict bands of each genre source and budget mode, and the verdicts of 60
training scripts picked at random (seed 0), with their IMSDb footers and with the genre tags removed.

The 60 scripts were seen in training, so their text scores are in-sample: compare two models on this
pick with each other, not with the bands' shares."""

from __future__ import annotations

import dataclasses
from collections import Counter

import numpy as np

from reelcast import coverage, dataset
from reelcast.service import Service

REFERENCES = (("footer", "script"), ("footer", "given"), ("words", "script"), ("words", "given"))
PICKED = 60


def main() -> None:
    service = Service.load()
    print(service.model_version)
    corpus = coverage.corpus_for(service)
    for reference in REFERENCES:
        print(*reference, corpus.thresholds(reference))
    training = dataset.training_rows(dataset.load_table())
    screenplays = dataset.load_screenplays()
    picked = [screenplays[training["source"][i]]
              for i in np.random.default_rng(0).choice(len(training), PICKED, replace=False)]
    for label, scripts in (("with footers", picked),
                           ("genre tags removed", [dataclasses.replace(sp, genres=[]) for sp in picked])):
        verdicts = Counter(service.coverage(sp)["verdict"] for sp in scripts)
        print(label, {v: verdicts[v] for v in ("pass", "consider", "recommend")})


if __name__ == "__main__":
    main()
