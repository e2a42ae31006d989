#!/usr/bin/env python3
"""Write a realistic, valid cofi ledger of N contributions, reproducibly (seeded).

    python benchmarks/generate.py 100000 /tmp/ledger-100k [--seed 1]

What it writes (SPEC §1), for N contributions:

- ~N/500 tiers-lieux (activity skewed: a few give a lot, most give a little),
  4 networks, a few private stewards and individuals, 2 public funders;
- 40 commons with 1-3 needs each; some have stewards, 3 of them a tiers-lieu
  that also gives to its own common (refused when `exclude_stewards`);
- 4 programmes: a first-come State programme 2024-2025 (in-kind matched at
  0.5), a pro-rata State programme 2026 (tiers-lieux and networks), a
  first-come regional bonus on 12 commons, and a quadratic State programme 2026
  (SPEC §2b: no cap per contributor, 70 % at most of each need). Their caps and envelopes are set
  from the generated contributions so that they bite at every N;
- N contributions dated 2023-01-01 .. 2026-11-28 (more in later years), in
  ledger/contributions/<year>/, amounts written with 0, 1 or 2 decimals,
  ~8 % in kind, some with a need, a reference, a note, `currency: EUR`;
- ~N/20 pledges, about half of them honoured by 1-3 contributions (same
  contributor and common, dated after the pledge), some overdue;
- ~N/100 disbursements by the programmes' funders, in ledger/disbursements/<year>/;
- ~N/1000 reversals, each cancelling a distinct contribution, dated on or
  after it, in the contributions folder.

No entry is dated after AS_OF (2026-11-28): run cofi with `--as-of 2026-11-28`.
Files are written with plain string formatting (no YAML library), so 100,000
contributions take seconds. The same N and seed always give the same files.

`build(n, seed)` returns the records as plain Python objects; benchmarks/run.py
uses it to build the same ledger in memory for the engine-only timings.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import math
import os
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

AS_OF = date(2026, 11, 28)
FIRST_DAY = date(2023, 1, 1)
GENERATOR_VERSION = 1  # bump when the output changes, so cached ledgers are rebuilt

# --------------------------------------------------------------------------- records


@dataclass(slots=True)
class Contrib:
    id: str
    date: date
    contributor: str
    common: str
    amount: str  # as written: "1200", "1200.5", "1200.50"
    kind: str | None = None  # None: not written (money by default)
    need: str | None = None
    pledge: str | None = None
    reference: str | None = None
    note: str | None = None
    currency: bool = False

    @property
    def path(self) -> str:
        return f"ledger/contributions/{self.date.year}/{self.id}.yaml"


@dataclass(slots=True)
class PledgeRec:
    id: str
    date: date
    contributor: str
    common: str
    amount: str
    due: date
    reference: str | None = None
    note: str | None = None

    @property
    def path(self) -> str:
        return f"ledger/pledges/{self.id}.yaml"


@dataclass(slots=True)
class Disb:
    id: str
    date: date
    programme: str
    common: str
    amount: str
    reference: str | None = None

    @property
    def path(self) -> str:
        return f"ledger/disbursements/{self.date.year}/{self.id}.yaml"


@dataclass(slots=True)
class Rev:
    id: str
    date: date
    reverses: str
    note: str | None = None

    @property
    def path(self) -> str:
        return f"ledger/contributions/{self.date.year}/{self.id}.yaml"


@dataclass
class Data:
    n: int
    seed: int
    settings: dict
    contributors: list[dict]
    commons: list[dict]
    programmes: list[dict]
    contributions: list[Contrib] = field(default_factory=list)
    pledges: list[PledgeRec] = field(default_factory=list)
    disbursements: list[Disb] = field(default_factory=list)
    reversals: list[Rev] = field(default_factory=list)


# --------------------------------------------------------------------------- vocabulary

_TL_PREFIXES = [
    "la-ruche",
    "le-hangar",
    "fablab",
    "la-fabrique",
    "le-moulin",
    "la-serre",
    "la-gare",
    "atelier",
    "la-cantine",
    "le-bercail",
    "la-friche",
    "la-grange",
    "le-quai",
    "la-base",
    "le-comptoir",
    "la-cordee",
    "le-relais",
    "la-coloc",
    "le-prisme",
    "la-verriere",
    "le-garage",
    "la-forge",
    "le-local",
    "la-halle",
    "le-106",
    "la-mine",
    "le-phare",
]
_TL_NAMES = {
    "la-ruche": "La Ruche",
    "le-hangar": "Le Hangar",
    "fablab": "Fablab",
    "la-fabrique": "La Fabrique",
    "le-moulin": "Le Moulin",
    "la-serre": "La Serre",
    "la-gare": "La Gare",
    "atelier": "L'Atelier",
    "la-cantine": "La Cantine",
    "le-bercail": "Le Bercail",
    "la-friche": "La Friche",
    "la-grange": "La Grange",
    "le-quai": "Le Quai",
    "la-base": "La Base",
    "le-comptoir": "Le Comptoir",
    "la-cordee": "La Cordée",
    "le-relais": "Le Relais",
    "la-coloc": "La Coloc",
    "le-prisme": "Le Prisme",
    "la-verriere": "La Verrière",
    "le-garage": "Le Garage",
    "la-forge": "La Forge",
    "le-local": "Le Local",
    "la-halle": "La Halle",
    "le-106": "Le 106",
    "la-mine": "La Mine",
    "le-phare": "Le Phare",
}
_PLACES = [
    ("albi", "Albi", "Occitanie"),
    ("auch", "Auch", "Occitanie"),
    ("rodez", "Rodez", "Occitanie"),
    ("foix", "Foix", "Occitanie"),
    ("sete", "Sète", "Occitanie"),
    ("nimes", "Nîmes", "Occitanie"),
    ("brest", "Brest", "Bretagne"),
    ("rennes", "Rennes", "Bretagne"),
    ("lorient", "Lorient", "Bretagne"),
    ("nantes", "Nantes", "Pays de la Loire"),
    ("laval", "Laval", "Pays de la Loire"),
    ("lille", "Lille", "Hauts-de-France"),
    ("amiens", "Amiens", "Hauts-de-France"),
    ("lyon", "Lyon", "Auvergne-Rhône-Alpes"),
    ("gap", "Gap", "Provence-Alpes-Côte d'Azur"),
    ("arles", "Arles", "Provence-Alpes-Côte d'Azur"),
    ("dijon", "Dijon", "Bourgogne-Franche-Comté"),
    ("metz", "Metz", "Grand Est"),
    ("tours", "Tours", "Centre-Val de Loire"),
    ("caen", "Caen", "Normandie"),
    ("niort", "Niort", "Nouvelle-Aquitaine"),
    ("pau", "Pau", "Nouvelle-Aquitaine"),
    ("gueret", "Guéret", "Nouvelle-Aquitaine"),
    ("ajaccio", "Ajaccio", "Corse"),
    ("montreuil", "Montreuil", "Île-de-France"),
    ("cayenne", "Cayenne", "Guyane"),
]

# id, name, description, url, license
_COMMONS = [
    (
        "dokos",
        "Dokos",
        "ERP et plateforme de réservation pour tiers-lieux",
        "https://dokos.io",
        "GPL-3.0-only",
    ),
    (
        "movilab",
        "Movilab",
        "Wiki de documentation des tiers-lieux",
        "https://movilab.org",
        "CC-BY-SA-4.0",
    ),
    ("loot", "Loot", "Outil de co-rémunération des contributions", None, "AGPL-3.0-or-later"),
    (
        "communecter",
        "Communecter",
        "Cartographie et tableau de bord du co-financement",
        "https://www.communecter.org",
        "AGPL-3.0-only",
    ),
    (
        "fab-manager",
        "Fab-manager",
        "Gestion de fablab : machines, formations, réservations",
        "https://www.fab-manager.com",
        "AGPL-3.0-only",
    ),
    (
        "gogocarto",
        "GoGoCarto",
        "Cartes collaboratives",
        "https://gogocarto.fr",
        "AGPL-3.0-or-later",
    ),
]
_INVENTED = [
    "resa-salles",
    "badgeuse",
    "compta-partagee",
    "annuaire-tl",
    "kit-accueil",
    "cartolab",
    "paniers-locaux",
    "agenda-commun",
    "formations-libres",
    "atlas-tl",
    "mutuelle-outils",
    "bourse-materiel",
    "observatoire-tl",
    "kit-juridique",
    "registre-benevoles",
    "wiki-fablab",
    "tableau-impact",
    "billetterie-libre",
    "cooplib",
    "tl-connect",
    "open-energie",
    "repair-log",
    "mesure-usages",
    "doc-facile",
    "cantine-os",
    "jardin-data",
    "ressourcerie-app",
    "mobi-tl",
    "tiers-pay",
    "cowork-os",
    "portail-communs",
    "vote-collectif",
    "lab-inventaire",
    "stats-ouvertes",
]
_NEED_KINDS = [
    ("v2", "Version 2"),
    ("api", "API publique"),
    ("docs", "Documentation utilisateur"),
    ("accessibilite", "Audit et mise en accessibilité RGAA"),
    ("traduction", "Traductions"),
    ("hebergement", "Hébergement mutualisé, 3 ans"),
    ("securite", "Audit de sécurité"),
    ("mobile", "Application mobile"),
    ("formation", "Parcours de formation"),
]
_NOTES = [
    "Adhésion annuelle au commun",
    "Soutien voté en AG",
    "Reliquat de budget 2024",
    "Suite à l'atelier du 12 : priorité à la v2",
    "Paiement # 2 sur 3",
    "Contribution des résident·es",
    "Cofinancement avec la communauté de communes",
    "Voir convention signée",
    "no",
    "Temps de développement bénévole valorisé",
]
_IN_KIND_NOTES = [
    "Temps de documentation (valorisé à 35 €/h)",
    "Prêt de serveur pour 6 mois",
    "Animation d'ateliers de test",
    "Traduction en breton",
    "Hébergement d'un hackathon",
]


def _luhn_siret(rng: random.Random) -> str:
    digits = [rng.randrange(1, 10)] + [rng.randrange(10) for _ in range(12)]
    if digits[:3] == [3, 5, 6]:
        digits[0] = 4
    total = 0
    for i, d in enumerate(
        reversed(digits)
    ):  # positions 1.. from the right, once the check digit is added
        d = d * 2 if i % 2 == 0 else d
        total += d - 9 if d > 9 else d
    return "".join(map(str, digits)) + str((10 - total % 10) % 10)


def _money(rng: random.Random, euros: float) -> str:
    """An amount as someone would write it: mostly whole euros, else 1 or 2 decimals."""
    r = rng.random()
    if r < 0.55 or euros >= 20000:
        return str(max(1, round(euros)))
    cents = max(1, round(euros * 100))
    if r < 0.70:
        cents = max(10, cents - cents % 10)
        text = f"{cents // 100}.{cents % 100:02d}"
        return text[:-1] if rng.random() < 0.5 else text  # 12.5 or 12.50
    return f"{cents // 100}.{cents % 100:02d}"


def _amount_euros(rng: random.Random) -> float:
    """Log-normal: median ~350 €, a long tail of large gifts."""
    return min(60000.0, max(0.5, rng.lognormvariate(5.85, 1.25)))


def _cents(text: str) -> int:
    euros, _, dec = text.partition(".")
    return int(euros) * 100 + int((dec + "00")[:2])


def _day_weights() -> tuple[list[date], list[float]]:
    """Every day 2023-01-01 .. AS_OF; activity grows over time (weight ~ 1 + 2t)."""
    span = (AS_OF - FIRST_DAY).days
    days = [FIRST_DAY + timedelta(d) for d in range(span + 1)]
    weights = []
    for d in range(span + 1):
        w = 1 + 2 * d / span
        if days[d].month == 8:  # August is quiet
            w *= 0.4
        if days[d].weekday() >= 5:
            w *= 0.3
        weights.append(w)
    return days, list(itertools.accumulate(weights))


# --------------------------------------------------------------------------- build


def build(n: int, seed: int = 1) -> Data:
    """All the records of an N-contribution ledger, deterministically from `seed`."""
    rng = random.Random(f"cofi-bench-{seed}-{n}")
    n_tl = max(8, round(n / 500))

    # -- contributors
    contributors: list[dict] = []
    used: set[str] = set()
    tiers_lieux = []
    for i in range(n_tl):
        prefix = _TL_PREFIXES[i % len(_TL_PREFIXES)]
        place_id, place, region = _PLACES[(i // len(_TL_PREFIXES) * 7 + i) % len(_PLACES)]
        base = f"{prefix}-{place_id}"
        cid, k = base, 2
        while cid in used:
            cid, k = f"{base}-{k}", k + 1
        used.add(cid)
        rec = {
            "id": cid,
            "name": f"{_TL_NAMES[prefix]} ({place})",
            "kind": "tiers-lieu",
            "region": region,
            "identities": [f"tresorerie@{cid}.example", cid],
        }
        if rng.random() < 0.6:
            rec["siret"] = _luhn_siret(rng)
        if rng.random() < 0.1:
            del rec["region"]
        tiers_lieux.append(cid)
        contributors.append(rec)
    networks = [
        ("reseau-occitanie", "Réseau des tiers-lieux d'Occitanie", "Occitanie"),
        ("bretagne-tiers-lieux", "Bretagne Tiers-Lieux", "Bretagne"),
        ("france-tiers-lieux", "France Tiers-Lieux", None),
        ("relief", "RELIEF, réseau des réseaux", None),
    ]
    for cid, name, region in networks:
        rec = {"id": cid, "name": name, "kind": "network", "identities": [f"contact@{cid}.example"]}
        if region:
            rec["region"] = region
        contributors.append(rec)
    privates = [
        ("dokos-sas", "Dokos SAS", "private"),
        ("communecter-asso", "Open Atlas", "private"),
        ("sleede", "Sleede", "private"),
        ("camille-martin", "Camille Martin", "individual"),
        ("yanis-benali", "Yanis Benali", "individual"),
        ("mecenat-local", "Fondation Mécénat Local (fictive)", "private"),
    ]
    for cid, name, kind in privates:
        contributors.append({"id": cid, "name": name, "kind": kind, "identities": [cid]})
    contributors.append(
        {
            "id": "etat",
            "name": "État — ANCT (fictif)",
            "kind": "public",
            "identities": ["anct@example.gouv.fr"],
        }
    )
    contributors.append(
        {
            "id": "region-occitanie",
            "name": "Région Occitanie (fictive)",
            "kind": "public",
            "identities": ["tiers-lieux@example-region.fr"],
        }
    )
    kind_of = {c["id"]: c["kind"] for c in contributors}

    # -- commons
    commons: list[dict] = []
    for cid, name, desc, url, lic in _COMMONS:
        commons.append({"id": cid, "name": name, "description": desc, "url": url, "license": lic})
    for cid in _INVENTED:
        commons.append(
            {
                "id": cid,
                "name": cid.replace("-", " ").capitalize(),
                "description": f"Outil commun des tiers-lieux : {cid.replace('-', ' ')} (fictif)",
                "url": f"https://{cid}.example.org" if rng.random() < 0.7 else None,
                "license": rng.choice(["AGPL-3.0-only", "GPL-3.0-or-later", "MIT", None]),
            }
        )
    commons = commons[:40]
    stewards = {
        "dokos": ["dokos-sas"],
        "communecter": ["communecter-asso"],
        "fab-manager": ["sleede"],
        "movilab": ["france-tiers-lieux"],
        "loot": ["camille-martin"],
    }
    steward_tl = {}  # 3 commons stewarded by a tiers-lieu that also funds them
    for k, common in enumerate(["resa-salles", "badgeuse", "kit-accueil"]):
        steward_tl[common] = tiers_lieux[(k * 3 + 1) % n_tl]
        stewards[common] = [steward_tl[common]]
    needs_of: dict[str, list[str]] = {}
    for c in commons:
        c["stewards"] = stewards.get(c["id"], [])
        chosen = rng.sample(_NEED_KINDS, rng.randint(1, 3))
        c["needs"] = []
        for nid, title in chosen:
            need = {"id": nid, "title": title, "amount": str(rng.randrange(5, 120) * 1000)}
            if rng.random() < 0.7:
                need["due"] = date(rng.choice([2025, 2026, 2027]), rng.choice([3, 6, 9, 12]), 30)
            c["needs"].append(need)
        needs_of[c["id"]] = [n["id"] for n in c["needs"]]
    common_ids = [c["id"] for c in commons]

    # -- who gives to what: skewed activity, favourite commons
    givers = tiers_lieux + [c for c, _, _ in networks] + [c for c, _, _ in privates]
    weights = [1 / (i + 1) ** 0.7 for i in range(n_tl)]
    rng.shuffle(weights)
    # networks give ~6 % and private bodies or individuals ~2 % of all contributions, at any N,
    # so that the share of eligible contributions (and so the engine's work per
    # contribution) does not drift with N
    tl_total = sum(weights)
    weights += [tl_total * 0.06 / 0.92 / len(networks)] * len(networks)
    weights += [tl_total * 0.02 / 0.92 / len(privates)] * len(privates)
    giver_cum = list(itertools.accumulate(weights))
    common_w = [1 / (i + 1) ** 0.9 for i in range(len(common_ids))]
    common_cum = list(itertools.accumulate(common_w))

    def pick_common() -> str:
        return common_ids[bisect.bisect(common_cum, rng.random() * common_cum[-1])]

    favourites: dict[str, list[str]] = {}
    for g in givers:
        favs = {pick_common() for _ in range(rng.randint(1, 5))}
        favourites[g] = sorted(favs)
    for common, tl in steward_tl.items():
        favourites[tl] = sorted({*favourites[tl], common})

    def pick_giver() -> str:
        return givers[bisect.bisect(giver_cum, rng.random() * giver_cum[-1])]

    def pick_pair() -> tuple[str, str]:
        g = pick_giver()
        common = rng.choice(favourites[g]) if rng.random() < 0.85 else pick_common()
        return g, common

    days, day_cum = _day_weights()

    def pick_day(lo: date = FIRST_DAY, hi: date = AS_OF) -> date:
        if lo <= FIRST_DAY and hi >= AS_OF:
            return days[bisect.bisect(day_cum, rng.random() * day_cum[-1])]
        return lo + timedelta(rng.randint(0, max(0, (hi - lo).days)))

    seq = itertools.count(1)

    def entry_id(d: date, who: str, common: str) -> str:
        return f"{d.isoformat()}-{who}-{common}-{next(seq):x}"[:64].rstrip("-")

    data = Data(n, seed, {}, contributors, commons, [])

    # -- pledges, and the contributions that honour them
    n_pledges = max(1, round(n / 20))
    honouring: list[Contrib] = []
    budget = round(n * 0.045)  # ~4.5 % of contributions honour a pledge
    for k in range(n_pledges):
        g, common = pick_pair()
        if kind_of[g] != "tiers-lieu" and rng.random() < 0.7:
            g = rng.choice(tiers_lieux)
            common = rng.choice(favourites[g])
        d = pick_day(FIRST_DAY, AS_OF - timedelta(10))
        due = d + timedelta(rng.choice([90, 180, 270, 365, 540]))
        amount = _money(rng, _amount_euros(rng) * 2.5)
        pid = f"{g}-{common}-{d.year}-{k + 1:x}"[:64].rstrip("-")
        p = PledgeRec(pid, d, g, common, amount, due)
        if rng.random() < 0.3:
            p.reference = f"Délibération CA {d.year}-{rng.randrange(1, 40):02d}"
        if rng.random() < 0.1:
            p.note = rng.choice(_NOTES)
        data.pledges.append(p)
        if budget > len(honouring) and rng.random() < 0.55:
            parts = rng.choice([1, 1, 2, 3])
            total = _cents(amount) * rng.choice([0.5, 0.8, 1.0, 1.0, 1.0, 1.2]) / 100
            for _ in range(parts):
                cd = pick_day(d, min(AS_OF, due + timedelta(60)))
                honouring.append(
                    Contrib(
                        entry_id(cd, g, common),
                        cd,
                        g,
                        common,
                        _money(rng, max(1.0, total / parts)),
                        pledge=pid,
                    )
                )

    # -- the other contributions
    contributions = honouring[:n]
    while len(contributions) < n:
        g, common = pick_pair()
        d = pick_day()
        contributions.append(Contrib(entry_id(d, g, common), d, g, common, ""))
    for c in contributions:
        in_kind = rng.random() < 0.08
        if not c.amount:
            c.amount = _money(rng, _amount_euros(rng) * (0.6 if in_kind else 1))
        if in_kind:
            c.kind = "in-kind"
            c.note = rng.choice(_IN_KIND_NOTES)
        elif rng.random() < 0.15:
            c.kind = "money"
        if rng.random() < 0.3:
            c.need = rng.choice(needs_of[c.common])
        r = rng.random()
        if r < 0.25:
            c.reference = f"FAC-{c.date.year}-{rng.randrange(1, 2000):04d}"
        elif r < 0.35:
            c.reference = f"virement {c.date.isoformat()} n°{rng.randrange(100, 99999)}"
        if c.note is None and rng.random() < 0.06:
            c.note = rng.choice(_NOTES)
        c.currency = rng.random() < 0.02
    data.contributions = contributions

    # -- reversals: distinct contributions, dated on or after them
    n_rev = round(n / 1000)
    targets = rng.sample(range(len(contributions)), n_rev) if n_rev else []
    for k, t in enumerate(sorted(targets)):
        target = contributions[t]
        d = target.date + timedelta(rng.choice([0, 1, 3, 15, 60]))
        d = min(d, AS_OF)
        rev = Rev(f"{d.isoformat()}-annulation-{k + 1:x}", d, target.id)
        if rng.random() < 0.7:
            rev.note = rng.choice(
                [
                    "Erreur de montant, saisie corrigée",
                    "Doublon",
                    "Virement rejeté par la banque",
                    "Mauvais commun",
                ]
            )
        data.reversals.append(rev)
    reversed_ids = {r.reverses for r in data.reversals}

    # -- programmes: caps and envelopes sized from the contributions so they bite
    regional_commons = sorted(rng.sample(common_ids[:20], 12))
    specs = [
        {
            "id": "pilote-2024-2025",
            "name": "1 € investi, 1 € co-investi — pilote 2024-2025",
            "funder": "etat",
            "ratio": "1",
            "in_kind_ratio": "0.5",
            "start": date(2024, 1, 1),
            "end": date(2025, 12, 31),
            "allocation": "first-come",
            "eligible": {"kinds": ["tiers-lieu"], "commons": "all", "min_amount": "50"},
            "exclude_stewards": True,
            "per_contribution": "5000",
            "payment_days": 60,
        },
        {
            "id": "pilote-2026",
            "name": "1 € investi, 1 € co-investi — 2026",
            "funder": "etat",
            "ratio": "1",
            "in_kind_ratio": "0",
            "start": date(2026, 1, 1),
            "end": date(2026, 12, 31),
            "allocation": "pro-rata",
            "eligible": {
                "kinds": ["tiers-lieu", "network"],
                "commons": "all",
                "min_amount": "0.01",
            },
            "exclude_stewards": True,
            "per_contribution": "10000",
            "payment_days": 60,
        },
        {
            "id": "bonus-occitanie",
            "name": "Bonus régional : 0,50 € pour 1 € (fictif)",
            "funder": "region-occitanie",
            "ratio": "0.5",
            "in_kind_ratio": "0",
            "start": date(2025, 3, 1),
            "end": date(2026, 6, 30),
            "allocation": "first-come",
            "eligible": {"kinds": ["tiers-lieu"], "commons": regional_commons, "min_amount": "100"},
            "exclude_stewards": False,
            "per_contribution": "2000",
            "payment_days": 90,
        },
        {  # SPEC §2b: capped quadratic funding, with a ceiling of 70 % on each need
            "id": "communs-quadratique-2026",
            "name": "Financement quadratique des communs 2026 (fictif)",
            "funder": "etat",
            "ratio": "1",
            "in_kind_ratio": "0",
            "start": date(2026, 1, 1),
            "end": date(2026, 12, 31),
            "allocation": "quadratic",
            "eligible": {"kinds": ["tiers-lieu"], "commons": "all", "min_amount": "0.01"},
            "exclude_stewards": True,
            "per_contribution": "10000",
            "per_need_share": "0.7",
            "payment_days": 60,
        },
    ]
    steward_of = {c["id"]: set(c["stewards"]) for c in commons}
    owed_by_common: list[tuple[list[str], list[float]]] = []
    for p in specs:
        kinds = set(p["eligible"]["kinds"])
        allowed = None if p["eligible"]["commons"] == "all" else set(p["eligible"]["commons"])
        min_cents = _cents(p["eligible"]["min_amount"])
        ratio, ik_ratio = float(p["ratio"]), float(p["in_kind_ratio"])
        cap = float(p["per_contribution"])
        by_who: dict[str, float] = {}
        by_common: dict[str, float] = {}
        for c in contributions:
            if not (p["start"] <= c.date <= p["end"]) or c.id in reversed_ids:
                continue
            if kind_of[c.contributor] not in kinds or (allowed and c.common not in allowed):
                continue
            if p["exclude_stewards"] and c.contributor in steward_of[c.common]:
                continue
            if _cents(c.amount) < min_cents:
                continue
            r = ik_ratio if c.kind == "in-kind" else ratio
            if r == 0:
                continue
            b = min(cap, _cents(c.amount) / 100 * r)
            by_who[c.contributor] = by_who.get(c.contributor, 0) + b
            by_common[c.common] = by_common.get(c.common, 0) + b
        total = sum(by_who.values()) or 1000.0
        # the top ~15 % of contributors and ~25 % of commons hit their caps ...
        per_contributor = _quantile(list(by_who.values()) or [1000.0], 0.85)
        per_common = _quantile(list(by_common.values()) or [1000.0], 0.75)
        capped = sum(min(v, per_contributor) for v in by_who.values()) or total
        # ... and the envelope covers ~60 % of what is left
        p["caps"] = {
            "per_contribution": p.pop("per_contribution"),
            "per_contributor": _round_euros(per_contributor),
            "per_common": _round_euros(per_common),
        }
        if p["allocation"] == "quadratic":  # refused with quadratic (L016)
            del p["caps"]["per_contributor"]
        if "per_need_share" in p:
            p["caps"]["per_need_share"] = p.pop("per_need_share")
        p["envelope"] = _round_euros(0.6 * min(capped, total))
        data.programmes.append(p)
        pool = sorted(by_common) or common_ids[:1]
        weights = [min(by_common.get(c, 1.0), per_common) for c in pool]
        owed_by_common.append((pool, list(itertools.accumulate(weights))))

    # -- disbursements: the funders pay part of what they owe, to the commons they owe most;
    #    payments are lumpy, so some commons end up overpaid and many unmet
    n_disb = max(1, round(n / 100))
    paid_from = {
        "pilote-2024-2025": date(2024, 3, 1),
        "pilote-2026": date(2026, 2, 1),
        "bonus-occitanie": date(2025, 5, 1),
    }
    shares = [0.45, 0.35, 0.2]
    share_cum = list(itertools.accumulate(shares))
    for k in range(n_disb):
        which = min(2, bisect.bisect(share_cum, rng.random())) if k >= 3 else k % 3
        p = data.programmes[which]
        pool, cum = owed_by_common[which]
        common = pool[bisect.bisect(cum, rng.random() * cum[-1])]
        d = pick_day(paid_from[p["id"]], AS_OF)
        per_disb = float(p["envelope"]) / max(1.0, n_disb * shares[which])
        amount = _money(rng, max(10.0, per_disb * rng.uniform(0.3, 1.1)))
        rec = Disb(
            f"{p['funder']}-{common}-{d.isoformat()}-{k + 1:x}"[:64].rstrip("-"),
            d,
            p["id"],
            common,
            amount,
        )
        if rng.random() < 0.8:
            rec.reference = f"virement {d.year}-{rng.randrange(1, 9999):04d}"
        data.disbursements.append(rec)

    data.settings = {
        "name": "Communs des tiers-lieux — registre de test (généré)",
        "currency": "EUR",
        "coordinators": ["coordination@example.org", "coord-bench"],
    }
    return data


def _quantile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def _round_euros(value: float) -> str:
    """A cap or envelope as a public body writes it: rounded to 100 € (at least 100 €)."""
    return str(max(100, math.floor(value / 100) * 100))


# --------------------------------------------------------------------------- write


def _q(text: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _plain_or_q(text: str) -> str:
    """Plain when it is safe and stays text in YAML (and cofi), else double-quoted."""
    if text and (text[0].isalpha() and text[0].isupper()) and ": " not in text and " #" not in text:
        return text
    return _q(text)


def _list(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


def write(data: Data, out: Path) -> int:
    """Write every record under `out`; returns the number of files written."""
    files = 0
    dirs: set[str] = set()

    def put(rel: str, text: str) -> None:
        nonlocal files
        folder = rel.rpartition("/")[0]
        if folder not in dirs:
            os.makedirs(out / folder, exist_ok=True)
            dirs.add(folder)
        with open(out / rel, "w", encoding="utf-8") as f:
            f.write(text)
        files += 1

    s = data.settings
    put(
        "ledger/settings.yaml",
        f"name: {_q(s['name'])}\ncurrency: {s['currency']}\n"
        f"coordinators: {_list(s['coordinators'])}\n",
    )
    for c in data.contributors:
        text = f"name: {_q(c['name'])}\nkind: {c['kind']}\n"
        if "siret" in c:
            text += f"siret: {_q(c['siret'])}\n"
        if "region" in c:
            text += f"region: {_q(c['region'])}\n"
        text += f"identities: {_list(c['identities'])}\n"
        put(f"ledger/contributors/{c['id']}.yaml", text)
    for c in data.commons:
        text = f"name: {_q(c['name'])}\ndescription: {_q(c['description'])}\n"
        if c["url"]:
            text += f"url: {c['url']}\n"
        if c["license"]:
            text += f"license: {c['license']}\n"
        if c["stewards"]:
            text += f"stewards: {_list(c['stewards'])}\n"
        text += "needs:\n"
        for n in c["needs"]:
            text += f"  - id: {n['id']}\n    title: {_q(n['title'])}\n    amount: {n['amount']}\n"
            if "due" in n:
                text += f"    due: {n['due'].isoformat()}\n"
        put(f"commons/{c['id']}.yaml", text)
    for p in data.programmes:
        e, caps = p["eligible"], p["caps"]
        commons = "all" if e["commons"] == "all" else _list(e["commons"])
        text = (
            f"name: {_q(p['name'])}\nfunder: {p['funder']}\nratio: {p['ratio']}\n"
            f"in_kind_ratio: {p['in_kind_ratio']}\nstart: {p['start'].isoformat()}\n"
            f"end: {p['end'].isoformat()}\nenvelope: {p['envelope']}\n"
            f"allocation: {p['allocation']}\neligible:\n  kinds: {_list(e['kinds'])}\n"
            f"  commons: {commons}\n  min_amount: {e['min_amount']}\n"
            f"exclude_stewards: {'true' if p['exclude_stewards'] else 'false'}\ncaps:\n"
            + "".join(f"  {k}: {v}\n" for k, v in caps.items())
            + f"payment_days: {p['payment_days']}\n"
        )
        put(f"ledger/programmes/{p['id']}.yaml", text)
    for c in data.contributions:
        text = f"date: {c.date.isoformat()}\ncontributor: {c.contributor}\ncommon: {c.common}\n"
        if c.need:
            text += f"need: {c.need}\n"
        text += f"amount: {c.amount}\n"
        if c.currency:
            text += "currency: EUR\n"
        if c.kind:
            text += f"kind: {c.kind}\n"
        if c.pledge:
            text += f"pledge: {c.pledge}\n"
        if c.reference:
            text += f"reference: {_plain_or_q(c.reference)}\n"
        if c.note:
            text += f"note: {_plain_or_q(c.note)}\n"
        put(c.path, text)
    for r in data.reversals:
        text = f"date: {r.date.isoformat()}\nreverses: {r.reverses}\n"
        if r.note:
            text += f"note: {_plain_or_q(r.note)}\n"
        put(r.path, text)
    for pl in data.pledges:
        text = (
            f"date: {pl.date.isoformat()}\ncontributor: {pl.contributor}\ncommon: {pl.common}\n"
            f"amount: {pl.amount}\ndue: {pl.due.isoformat()}\n"
        )
        if pl.reference:
            text += f"reference: {_plain_or_q(pl.reference)}\n"
        if pl.note:
            text += f"note: {_plain_or_q(pl.note)}\n"
        put(pl.path, text)
    for d in data.disbursements:
        text = (
            f"date: {d.date.isoformat()}\nprogramme: {d.programme}\ncommon: {d.common}\n"
            f"amount: {d.amount}\n"
        )
        if d.reference:
            text += f"reference: {_plain_or_q(d.reference)}\n"
        put(d.path, text)
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of contributions")
    parser.add_argument("out", type=Path, help="folder to write the ledger in (new or empty)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("N must be at least 1")
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"{args.out} is not empty: give a new folder")
    started = time.perf_counter()
    data = build(args.n, args.seed)
    built = time.perf_counter()
    files = write(data, args.out)
    done = time.perf_counter()
    print(
        f"{args.out}: {files} files ({len(data.contributions)} contributions, "
        f"{len(data.reversals)} reversals, {len(data.pledges)} pledges, "
        f"{len(data.disbursements)} disbursements, {len(data.contributors)} contributors, "
        f"{len(data.commons)} commons, {len(data.programmes)} programmes) "
        f"in {done - started:.1f} s (build {built - started:.1f} s, write {done - built:.1f} s)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
