"""Demo data: the real initiatives named in the seed documents, and generated samples.

Real initiatives keep to what the seeds say and name their source. Generated samples are
marked ``source=sample`` in the database and visibly on every page that shows them.
"""

import json
import random

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from territories.models import Outline, Territory
from territories.outlines import random_point

from . import bulk
from .models import (
    ActionLever,
    CollaborativePractice,
    Initiative,
    LegalForm,
    LocationPrecision,
    LowTechQuality,
    Source,
    Status,
    TerritoryLever,
    Theme,
)

SEED_002 = "Avise, « Social and solidarity economy solutions for small towns of tomorrow » (2021)"
SEED_004 = "ConstructivESS Hauts-de-France, « 7 propositions » (2019)"

# Each entry: commune INSEE code, the facts from the seeds, and their source.
SEED_INITIATIVES = [
    {
        "slug": "ateliers-jean-moulin",
        "name": "Les Ateliers Jean Moulin",
        "commune": "29197",
        "organisation": "A3JM — Association pour l'animation des Ateliers Jean Moulin",
        "legal_form": "association",
        "summary": (
            "Tiers-lieu multi-activités installé dans un ancien lycée professionnel : "
            "entreprises, associations, services parapublics, restauration et hébergement."
        ),
        "description": (
            "Installés dans un ancien lycée professionnel et soutenus depuis leur création par "
            "la collectivité, les Ateliers Jean Moulin sont un lieu multi-activités de 12 000 m² "
            "qui réunit entreprises, associations et services parapublics. L'association A3JM, "
            "qui les anime, compte cinq élus locaux à son conseil d'administration : un véritable "
            "outil de gouvernance partagée. Le lieu a été conçu avec les habitants, lors "
            "d'ateliers menés par la coopérative Plateau Urbain et le collectif La Nouvelle "
            "Imagerie.\n\n"
            "Ses activités : des locaux abordables (du bureau de 9 m² à l'atelier de 250 m²), "
            "un hébergement temporaire de plus de 30 places dans l'ancien internat pour les "
            "saisonniers et les bénévoles, un appui aux associations culturelles, et des actions "
            "solidaires (livraisons alimentaires et culturelles à domicile, partenariat avec les "
            "services sociaux, sensibilisation à la transition écologique)."
        ),
        "themes": ["solidarite", "economie-proximite", "culture", "democratie"],
        "practices": ["gouvernance-partagee", "production-distribuee"],
        "levers": ["tiers-lieux", "locaux-foncier"],
        "source_reference": SEED_002,
    },
    {
        "slug": "pole-ess-saint-loup-sur-semouse",
        "name": "Pôle ESS de Saint-Loup-sur-Semouse",
        "commune": "70467",
        "organisation": "Commune de Saint-Loup-sur-Semouse et ses partenaires",
        "legal_form": "public",
        "summary": (
            "Ancienne usine de sièges devenue pôle culturel, social et économique : "
            "conservatoire, coopérative de construction bois, habitat intergénérationnel, "
            "épicerie solidaire, médiathèque intercommunale."
        ),
        "description": (
            "Capitale du siège et du meuble au XIXᵉ siècle, Saint-Loup-sur-Semouse a abrité "
            "pendant 150 ans une fabrique de sièges, fermée en 2012. Le conseil municipal a "
            "racheté une partie de l'ancien site industriel, proche du centre-ville, pour en faire "
            "un pôle porté par les habitants, les élus et des entrepreneurs.\n\n"
            "On y trouve un conservatoire et l'association qui le gère, une coopérative "
            "multi-acteurs qui développe une filière locale de construction bois pour "
            "l'insertion, un habitat intergénérationnel, une épicerie d'aide alimentaire et une "
            "médiathèque intercommunale."
        ),
        "themes": ["emploi", "culture", "habitat-energie", "solidarite", "alimentation"],
        "practices": ["gouvernance-partagee"],
        "levers": ["locaux-foncier", "soutien-filieres"],
        "source_reference": SEED_002,
    },
    {
        "slug": "citiz",
        "name": "Citiz",
        "commune": "59350",
        "organisation": "Réseau coopératif Citiz",
        "legal_form": "cooperative",
        "summary": "Réseau coopératif d'autopartage, cité comme alternative à la voiture individuelle.",
        "description": (
            "Les ConstructivESS Hauts-de-France citent l'autopartage Citiz parmi les "
            "aménagements à favoriser pour sortir du « tout voiture individuelle ». "
            "Lieu affiché : Lille, où se sont tenues les ConstructivESS ; le réseau est régional."
        ),
        "themes": ["mobilite"],
        "practices": ["consommation-collaborative"],
        "levers": [],
        "source_reference": SEED_004,
    },
    {
        "slug": "sissa",
        "name": "SISSA",
        "commune": "59350",
        "organisation": "SISSA",
        "legal_form": None,
        "summary": "Plateforme numérique d'échange de biens et de services, au service du réemploi.",
        "description": (
            "Les ConstructivESS Hauts-de-France citent la plateforme SISSA parmi les "
            "plateformes numériques d'échanges de biens et de services qui soutiennent le "
            "réemploi. Lieu affiché : Lille, où se sont tenues les ConstructivESS."
        ),
        "themes": ["environnement"],
        "practices": ["consommation-collaborative"],
        "levers": [],
        "source_reference": SEED_004,
    },
    {
        "slug": "apes-hauts-de-france",
        "name": "APES — réseau de l'ESS des Hauts-de-France",
        "commune": "59350",
        "organisation": "APES",
        "legal_form": "association",
        "summary": (
            "Réseau régional de l'économie solidaire, ressource sur le bail commercial "
            "d'utilité sociale."
        ),
        "description": (
            "L'APES est le réseau de l'économie sociale et solidaire des Hauts-de-France. Les "
            "ConstructivESS y renvoient pour en savoir plus sur le bail commercial d'utilité "
            "sociale, dont le loyer dépend d'indicateurs autres que le seul chiffre d'affaires."
        ),
        "themes": ["economie-proximite"],
        "practices": [],
        "levers": ["locaux-foncier", "mise-en-reseau"],
        "source_reference": SEED_004,
    },
    {
        "slug": "plateau-urbain",
        "name": "Plateau Urbain",
        "commune": "29197",
        "organisation": "Plateau Urbain",
        "legal_form": "cooperative",
        "summary": (
            "Coopérative qui a mené, avec La Nouvelle Imagerie, la concertation avec les "
            "habitants pour concevoir les Ateliers Jean Moulin."
        ),
        "description": (
            "La coopérative Plateau Urbain a organisé, avec le collectif La Nouvelle Imagerie, "
            "les ateliers et études de dialogue avec les habitants qui ont dessiné le tiers-lieu "
            "des Ateliers Jean Moulin. Lieu affiché : Plouhinec, où la source la mentionne."
        ),
        "themes": ["solidarite", "democratie"],
        "practices": ["gouvernance-partagee"],
        "levers": ["tiers-lieux"],
        "source_reference": SEED_002,
    },
    {
        "slug": "fabrique-a-initiatives",
        "name": "La Fabrique à initiatives",
        "commune": "75056",
        "organisation": "Avise",
        "legal_form": "association",
        "summary": (
            "Programme d'innovation sociale fondé par l'Avise en 2010, animé localement par "
            "plus de 28 structures, pour faire émerger des réponses ESS aux besoins locaux."
        ),
        "description": (
            "La Fabrique à initiatives détecte des besoins locaux, stimule les idées "
            "collectives et relie organisations publiques, privées et habitants pour créer des "
            "réponses entrepreneuriales de l'ESS. Exemple cité : après la fermeture du dernier "
            "commerce d'une petite ville, elle a aidé la commune à concevoir une nouvelle "
            "boutique collaborative avec les habitants et les associations. Lieu affiché : Paris, "
            "pour ce programme national."
        ),
        "themes": ["economie-proximite", "solidarite"],
        "practices": ["gouvernance-partagee"],
        "levers": ["accompagnement-emergence"],
        "source_reference": SEED_002,
        "year_started": 2010,
    },
]

# What the seeds say territories do with the levers (seed 002).
SEED_TERRITORY_LEVERS = [
    (
        "70467",
        "locaux-foncier",
        "Le conseil municipal a racheté une partie de l'ancienne usine de sièges, proche du "
        "centre-ville, pour y installer un pôle ESS.",
    ),
    (
        "29197",
        "tiers-lieux",
        "La collectivité soutient depuis leur création les Ateliers Jean Moulin, dont "
        "l'association compte cinq élus locaux à son conseil d'administration.",
    ),
]
SEED_PROGRAMMES = {"petites-villes-de-demain": ["29197", "70467"]}


@transaction.atomic
def load_seed_initiatives():
    """Create or update the real initiatives of the seeds; returns how many were created."""
    created = 0
    now = timezone.now()
    for entry in SEED_INITIATIVES:
        commune = Territory.objects.communes().get(code=entry["commune"])
        defaults = {
            "name": entry["name"],
            "summary": entry["summary"],
            "description": entry["description"],
            "organisation": entry["organisation"],
            "legal_form": LegalForm.objects.filter(slug=entry["legal_form"]).first(),
            "commune": commune,
            "latitude": commune.latitude,
            "longitude": commune.longitude,
            "location_precision": LocationPrecision.COMMUNE,
            "year_started": entry.get("year_started"),
            "status": Status.PUBLISHED,
            "source": Source.CURATOR,
            "source_reference": entry["source_reference"],
        }
        initiative, was_created = Initiative.objects.get_or_create(
            slug=entry["slug"], defaults={**defaults, "published_at": now}
        )
        created += was_created
        initiative.themes.set(Theme.objects.filter(slug__in=entry["themes"]))
        initiative.practices.set(CollaborativePractice.objects.filter(slug__in=entry["practices"]))
        initiative.levers.set(ActionLever.objects.filter(slug__in=entry["levers"]))
    for code, lever_slug, text in SEED_TERRITORY_LEVERS:
        TerritoryLever.objects.update_or_create(
            territory=Territory.objects.communes().get(code=code),
            lever=ActionLever.objects.get(slug=lever_slug),
            defaults={"text": text, "source": SEED_002},
        )
    for programme_slug, codes in SEED_PROGRAMMES.items():
        from territories.models import Programme

        programme = Programme.objects.get(slug=programme_slug)
        programme.territories.add(*Territory.objects.communes().filter(code__in=codes))
    return created


# Sample initiatives: (name pattern, themes, practices, low-tech, legal forms).
SAMPLE_KINDS = [
    (
        "Recyclerie {}",
        ["environnement", "emploi"],
        ["production-distribuee"],
        True,
        ["association", "scic"],
    ),
    (
        "Repair café {}",
        ["environnement"],
        ["consommation-collaborative"],
        True,
        ["association", "collectif-informel"],
    ),
    (
        "Épicerie solidaire {}",
        ["alimentation", "solidarite"],
        ["consommation-collaborative"],
        False,
        ["association"],
    ),
    ("AMAP {}", ["alimentation"], ["consommation-collaborative"], True, ["association"]),
    (
        "Jardin partagé {}",
        ["alimentation", "environnement"],
        ["gouvernance-partagee"],
        True,
        ["association", "collectif-informel"],
    ),
    ("Atelier vélo {}", ["mobilite"], ["production-distribuee"], True, ["association"]),
    (
        "Fablab {}",
        ["economie-proximite"],
        ["production-distribuee"],
        False,
        ["association", "scic"],
    ),
    (
        "Tiers-lieu {}",
        ["solidarite", "culture"],
        ["production-distribuee", "gouvernance-partagee"],
        False,
        ["scic", "association"],
    ),
    (
        "Coopérative d'énergie citoyenne {}",
        ["habitat-energie"],
        ["financement-participatif"],
        False,
        ["scic", "cooperative"],
    ),
    ("Chantier d'insertion {}", ["emploi", "environnement"], [], False, ["association", "esus"]),
    ("Budget participatif {}", ["democratie"], ["gouvernance-partagee"], False, ["public"]),
    (
        "Monnaie locale {}",
        ["economie-proximite"],
        ["consommation-collaborative"],
        False,
        ["association"],
    ),
    (
        "Habitat partagé {}",
        ["habitat-energie", "solidarite"],
        ["gouvernance-partagee"],
        False,
        ["scic", "cooperative"],
    ),
    ("Café associatif {}", ["culture", "solidarite"], [], False, ["association"]),
    ("Autopartage {}", ["mobilite"], ["consommation-collaborative"], False, ["scic", "scop"]),
]
SAMPLE_SUMMARY = "Exemple généré automatiquement pour la démonstration : {} à {}."
SAMPLE_REFERENCE = "Donnée d'exemple générée par la commande generate_samples"


def generate_samples(count, seed=None, status=Status.PUBLISHED, batch_size=2000):
    """Create ``count`` sample initiatives in communes drawn by population.

    Uses bulk inserts so that 100,000 rows take about a minute; ``save()`` is bypassed,
    so the fields it derives (slug, commune containers) are set here.
    """
    for rows, links in sample_batches(count, seed, status, batch_size):
        insert_samples(rows, links)
    return count


def sample_batches(count, seed=None, status=Status.PUBLISHED, batch_size=2000):
    """The samples of ``generate_samples``, unsaved, in batches of ``(rows, links)``."""
    rng = random.Random(seed)
    communes = list(
        Territory.objects.communes()
        .filter(latitude__isnull=False, population__gt=0)
        .values_list(
            "pk",
            "name",
            "slug",
            "population",
            "latitude",
            "longitude",
            "epci_id",
            "department_id",
            "region_id",
            "size_class",
        )
    )
    weights = [c[3] for c in communes]
    by_pk = {c[0]: c[9] for c in communes}
    places = SamplePlaces(rng)
    themes = dict(Theme.objects.values_list("slug", "pk"))
    practices = dict(CollaborativePractice.objects.values_list("slug", "pk"))
    legal_forms = dict(LegalForm.objects.values_list("slug", "pk"))
    qualities = list(LowTechQuality.objects.values_list("pk", flat=True))
    levers = list(ActionLever.objects.values_list("pk", flat=True))
    start = Initiative.objects.samples().count()
    now = timezone.now()
    created = 0
    while created < count:
        size = min(batch_size, count - created)
        picks = rng.choices(communes, weights=weights, k=size)
        places.prefetch(c[0] for c in picks)
        rows, links = [], []
        for offset, commune in enumerate(picks):
            number = start + created + offset + 1
            pattern, theme_slugs, practice_slugs, low_tech, form_slugs = rng.choice(SAMPLE_KINDS)
            name = pattern.format(commune[1])
            kind_label = pattern.format("").strip()
            low_tech = low_tech and rng.random() < 0.8
            # The legal form is drawn first, as before outlines: the same seed still gives
            # the same samples where no outline is loaded (the query-count tests rely on it).
            form_slug = rng.choice(form_slugs)
            latitude, longitude = places.point(commune)
            rows.append(
                Initiative(
                    name=name,
                    slug=f"{slugify(name)[:140]}-exemple-{number}",
                    summary=SAMPLE_SUMMARY.format(kind_label.lower(), commune[1]),
                    organisation=f"Collectif exemple n° {number}",
                    legal_form_id=legal_forms.get(form_slug),
                    commune_id=commune[0],
                    epci_id=commune[6],
                    department_id=commune[7],
                    region_id=commune[8],
                    latitude=latitude,
                    longitude=longitude,
                    location_precision=LocationPrecision.APPROXIMATE,
                    low_tech=low_tech,
                    year_started=rng.randint(1985, now.year),
                    status=status,
                    source=Source.SAMPLE,
                    source_reference=SAMPLE_REFERENCE,
                    published_at=(
                        now - timezone.timedelta(days=rng.randint(0, 1500))
                        if status == Status.PUBLISHED
                        else None
                    ),
                )
            )
            links.append(
                (
                    [themes[s] for s in theme_slugs if s in themes],
                    [practices[s] for s in practice_slugs if s in practices],
                    rng.sample(qualities, k=rng.randint(1, 3)) if low_tech and qualities else [],
                    rng.sample(levers, k=rng.randint(0, 2)) if levers else [],
                )
            )
        for row, link in zip(rows, links, strict=True):
            row.set_grid_position()  # save() is bypassed; the map's clusters need it
            if connection.vendor == "postgresql":
                # The memberships' copy as its trigger would write it: a load without the
                # triggers (bulk.loading) then need not rewrite every row.
                row.theme_ids, row.practice_ids, row.lever_ids = (
                    sorted(link[i]) for i in (0, 1, 3)
                )
                row.size_class = by_pk[row.commune_id]
        yield rows, links
        created += size


def insert_samples(rows, links):
    """Insert a batch of ``sample_batches`` with its links."""
    # No savepoint inside a bulk load's transaction: past 64 subtransactions, PostgreSQL
    # checks the visibility of each row they wrote in pg_subtrans (a 1M load slowed down
    # batch after batch).
    with transaction.atomic(savepoint=False):
        # Both paths give the rows their ids (SQLite ≥ 3.35 returns them).
        _bulk_link(bulk.insert(Initiative, rows), links)


class SamplePlaces:
    """Random points inside each commune's outline (parsed once per commune).

    A commune without a loaded outline (``load_territories --without-outlines``) gets a
    point spread around its own (about ±2 km), so markers still do not stack.
    """

    def __init__(self, rng):
        self.rng = rng
        self.outlines = {}

    def prefetch(self, commune_pks, chunk=500):
        """Read the outlines of these communes, a few queries per batch of samples."""
        missing = sorted(set(commune_pks) - self.outlines.keys())
        for start in range(0, len(missing), chunk):
            pks = missing[start : start + chunk]
            self.outlines.update(dict.fromkeys(pks))
            for found in Outline.objects.filter(territory_id__in=pks):
                self.outlines[found.territory_id] = (
                    json.loads(found.geometry),
                    (found.west, found.south, found.east, found.north),
                )

    def _outline(self, commune_pk):
        if commune_pk not in self.outlines:
            self.prefetch([commune_pk])
        return self.outlines[commune_pk]

    def point(self, commune):
        """``(lat, lon)`` for a sample in ``commune`` (a ``generate_samples`` row)."""
        outline = self._outline(commune[0])
        point = outline and random_point(*outline, self.rng)
        if point:
            return point
        return (
            round(max(-90, min(90, commune[4] + self.rng.uniform(-0.02, 0.02))), 6),
            round(max(-180, min(180, commune[5] + self.rng.uniform(-0.03, 0.03))), 6),
        )


def _bulk_link(initiatives, links):
    m2m = {
        "themes": ("theme_id", 0),
        "practices": ("collaborativepractice_id", 1),
        "low_tech_qualities": ("lowtechquality_id", 2),
        "levers": ("actionlever_id", 3),
    }
    for field_name, (column, index) in m2m.items():
        through = getattr(Initiative, field_name).through
        bulk.insert_values(
            through,
            ("initiative_id", column),
            [
                (initiative.pk, target)
                for initiative, link in zip(initiatives, links, strict=True)
                for target in link[index]
            ],
        )
