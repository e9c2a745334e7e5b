"""The seeded catalogue of solution models, and the demo links that keep their pages alive.

Each entry is named in the seed documents (``SOURCES``); curators edit the rows afterwards in
the admin, and ``load_solutions`` never overwrites what they changed (it creates what is
missing). Demo links join *sample* initiatives to a solution by the words of their generated
name, and are marked ``generated``.
"""

from django.db import connection, transaction

from initiatives.models import ActionLever, Initiative, Theme

from .models import Solution, SolutionLink

SEED_002 = "Avise, « SSE solutions for small towns of tomorrow » (2021)"
SEED_003 = "Sharitories (La Fabrique Écologique / Lab), pratiques collaboratives"
SEED_004 = "ConstructivESS Hauts-de-France, « 7 propositions » (2019)"
SEED_001 = "Avise / RTES / France Urbaine, leviers d'action des métropoles (2019–2020)"

# slug, French name, English name, French description, English description, themes, levers,
# keywords (words of an initiative's name), source.
CATALOGUE = [
    (
        "recyclerie",
        "Recyclerie / ressourcerie",
        "Reuse centre (recyclerie)",
        "Collecte, remise en état et revente à petit prix d'objets dont on se débarrasse, avec "
        "des emplois d'insertion et des ateliers de sensibilisation au réemploi.",
        "Collects, repairs and resells at low prices objects people get rid of, with "
        "integration jobs and workshops on reuse.",
        ["environnement", "emploi"],
        ["locaux-foncier", "commande-publique-responsable", "accompagnement-emergence"],
        "Recyclerie, Ressourcerie",
        SEED_003,
    ),
    (
        "epicerie-solidaire",
        "Épicerie solidaire",
        "Solidarity grocery",
        "Une épicerie où des foyers aux revenus modestes achètent des produits de qualité à "
        "10–30 % de leur prix, souvent avec un accompagnement budgétaire.",
        "A grocery where low-income households buy quality products at 10–30% of their price, "
        "often with budget support.",
        ["alimentation", "solidarite"],
        ["financement", "locaux-foncier"],
        "Épicerie solidaire, Epicerie solidaire",
        SEED_004,
    ),
    (
        "tiers-lieu",
        "Tiers-lieu",
        "Third place",
        "Un lieu partagé (ancienne usine, ancien lycée…) qui réunit activités, associations, "
        "entreprises et habitants, souvent conçu avec eux et animé en gouvernance partagée, "
        "comme les Ateliers Jean Moulin à Plouhinec.",
        "A shared place (a former factory or school…) bringing together activities, "
        "associations, businesses and inhabitants, often designed with them and run with "
        "shared governance, like the Ateliers Jean Moulin in Plouhinec.",
        ["solidarite", "culture", "economie-proximite"],
        ["tiers-lieux", "locaux-foncier", "democratie-participative"],
        "Tiers-lieu, Tiers lieu",
        SEED_002,
    ),
    (
        "repair-cafe",
        "Repair café",
        "Repair café",
        "Des bénévoles réparent avec les habitants leurs objets du quotidien, une fois par "
        "mois dans une salle prêtée : du réemploi et du lien.",
        "Volunteers repair everyday objects with their owners, once a month in a borrowed "
        "room: reuse and social ties.",
        ["environnement"],
        ["locaux-foncier", "sensibilisation-promotion"],
        "Repair café, Repair cafe",
        SEED_003,
    ),
    (
        "amap",
        "AMAP",
        "Community-supported agriculture (AMAP)",
        "Association pour le maintien d'une agriculture paysanne : des habitants s'engagent "
        "sur une saison auprès d'un producteur local, en circuit court.",
        "Households commit for a season to a local farmer and share the harvest: a short "
        "supply chain.",
        ["alimentation"],
        ["soutien-filieres", "mise-en-reseau"],
        "AMAP",
        SEED_003,
    ),
    (
        "garage-solidaire",
        "Garage solidaire",
        "Solidarity garage",
        "Un garage associatif qui répare à bas prix les véhicules de personnes en insertion "
        "ou aux revenus modestes, pour qu'elles gardent leur mobilité.",
        "A not-for-profit garage repairing at low cost the cars of people in job integration "
        "or on low incomes, so that they stay mobile.",
        ["mobilite", "solidarite", "emploi"],
        ["accompagnement-emergence", "financement"],
        "Garage solidaire",
        SEED_004,
    ),
    (
        "autopartage",
        "Autopartage coopératif",
        "Cooperative car sharing",
        "Des véhicules partagés par les habitants, gérés par une coopérative locale, pour "
        "moins de voitures et une mobilité accessible hors des métropoles.",
        "Cars shared by inhabitants and run by a local cooperative: fewer cars, and mobility "
        "outside the big cities.",
        ["mobilite"],
        ["commande-publique-responsable", "soutien-filieres"],
        "Autopartage",
        SEED_004,
    ),
    (
        "monnaie-locale",
        "Monnaie locale citoyenne",
        "Local citizen currency",
        "Une monnaie complémentaire, gérée par une association, qui fait circuler l'argent "
        "entre commerces et producteurs du territoire.",
        "A complementary currency run by an association, keeping money circulating between "
        "the territory's shops and producers.",
        ["economie-proximite"],
        ["monnaie-locale", "sensibilisation-promotion"],
        "Monnaie locale",
        SEED_004,
    ),
    (
        "habitat-partage",
        "Habitat partagé",
        "Shared housing",
        "Un habitat groupé, participatif ou inclusif : des logements privatifs et des espaces "
        "communs conçus et gérés par les habitants.",
        "Grouped, participative or inclusive housing: private homes with common spaces "
        "designed and run by the residents.",
        ["habitat-energie", "solidarite"],
        ["locaux-foncier", "accompagnement-emergence"],
        "Habitat partagé, Habitat participatif",
        SEED_004,
    ),
    (
        "fablab",
        "Fablab",
        "Fab lab",
        "Un atelier de fabrication numérique ouvert (imprimantes 3D, découpe laser, outils) "
        "où chacun apprend à faire et à réparer.",
        "An open digital fabrication workshop (3D printers, laser cutter, tools) where anyone "
        "learns to make and to repair.",
        ["economie-proximite"],
        ["tiers-lieux", "accompagnement-emergence"],
        "Fablab, Fab lab",
        SEED_003,
    ),
    (
        "conserverie",
        "Conserverie solidaire",
        "Community cannery",
        "Une conserverie partagée qui transforme les surplus des maraîchers locaux en "
        "conserves, contre le gaspillage et pour l'emploi local.",
        "A shared cannery turning local growers' surpluses into preserves, against waste and "
        "for local jobs.",
        ["alimentation", "emploi"],
        ["soutien-filieres", "locaux-foncier"],
        "Conserverie",
        SEED_004,
    ),
    (
        "cantine-bio-locale",
        "Cantine bio et locale",
        "Organic and local school canteen",
        "Une restauration collective approvisionnée en produits bio et locaux par la commande "
        "publique, avec les producteurs du territoire.",
        "Public catering supplied with organic and local food through public procurement, "
        "with the territory's farmers.",
        ["alimentation"],
        ["commande-publique-responsable", "soutien-filieres"],
        "Cantine",
        SEED_001,
    ),
    (
        "jardin-partage",
        "Jardin partagé",
        "Community garden",
        "Un jardin cultivé ensemble par les habitants d'un quartier, sur un terrain mis à "
        "disposition par la collectivité.",
        "A garden grown together by the inhabitants of a neighbourhood, on land lent by the "
        "local authority.",
        ["alimentation", "environnement"],
        ["locaux-foncier", "democratie-participative"],
        "Jardin partagé",
        SEED_004,
    ),
    (
        "atelier-velo",
        "Atelier vélo participatif",
        "Community bike workshop",
        "Un atelier où l'on apprend à réparer son vélo soi-même, avec des pièces de réemploi.",
        "A workshop where people learn to repair their own bike, with reused parts.",
        ["mobilite"],
        ["locaux-foncier", "sensibilisation-promotion"],
        "Atelier vélo",
        SEED_004,
    ),
    (
        "energie-citoyenne",
        "Coopérative d'énergie citoyenne",
        "Citizen energy cooperative",
        "Des habitants et la collectivité financent ensemble une production d'énergie "
        "renouvelable locale, souvent en SCIC.",
        "Inhabitants and the local authority fund together local renewable energy, often as a "
        "cooperative (SCIC).",
        ["habitat-energie"],
        ["financement", "democratie-participative"],
        "Coopérative d'énergie citoyenne, Énergie citoyenne",
        SEED_004,
    ),
]


@transaction.atomic
def load_catalogue():
    """Create the solution models that are missing; returns how many were created."""
    created = 0
    for position, entry in enumerate(CATALOGUE):
        slug, name_fr, name_en, description_fr, description_en, themes, levers, words, source = (
            entry
        )
        solution, was_created = Solution.objects.get_or_create(
            slug=slug,
            defaults={
                "name_fr": name_fr,
                "name_en": name_en,
                "description_fr": description_fr,
                "description_en": description_en,
                "keywords": words,
                "source": source,
                "position": position,
            },
        )
        if was_created:
            created += 1
            solution.themes.set(Theme.objects.filter(slug__in=themes))
            solution.levers.set(ActionLever.objects.filter(slug__in=levers))
    return created


# The real initiatives of the seeds whose solution the seed names.
SEED_LINKS = {"ateliers-jean-moulin": "tiers-lieu"}


@transaction.atomic
def link_demo_initiatives():
    """Link sample initiatives to the solution their generated name says (marked generated),
    and the seeds' real initiatives to the solution their seed names; returns the count.

    One ``INSERT … SELECT`` per keyword: at a million samples there are 800,000 links, which
    2,000 at a time took 400 statements, each tallied by the triggers (4 minutes)."""
    before = SolutionLink.objects.count()
    table = SolutionLink._meta.db_table
    with connection.cursor() as cursor:
        for solution in Solution.objects.all():
            for word in solution.keyword_list():
                ids = Initiative.objects.samples().filter(name__icontains=word).values("pk")
                sql, params = ids.query.sql_with_params()
                # "WHERE … AND true": SQLite reads ON CONFLICT after a SELECT only after a WHERE.
                cursor.execute(
                    f"INSERT INTO {table} (solution_id, initiative_id, generated) "
                    f"SELECT %s, id, %s FROM {Initiative._meta.db_table} "
                    f"WHERE id IN ({sql}) AND 1 = 1 ON CONFLICT DO NOTHING",
                    [solution.pk, True, *params],
                )
    links = []
    for initiative_slug, solution_slug in SEED_LINKS.items():
        initiative = Initiative.objects.filter(slug=initiative_slug).first()
        solution = Solution.objects.filter(slug=solution_slug).first()
        if initiative and solution:
            links.append(SolutionLink(solution=solution, initiative=initiative))
    SolutionLink.objects.bulk_create(links, ignore_conflicts=True)
    return SolutionLink.objects.count() - before
