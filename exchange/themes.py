"""Outside theme labels → our themes: the correspondence table, then our own slugs and names."""

from initiatives.models import Theme

from .models import ThemeCorrespondence, fold_label

# Labels common in GoGoCarto maps (Transiscope…) and data·inclusion (its categories, typologies),
# matched when no correspondence row says otherwise: rows of the table override these.
DEFAULT_CORRESPONDENCES = {
    "alimentation": ["Agriculture & Alimentation", "Agriculture", "Alimentation durable"],
    "mobilite": ["Mobilité", "Transport", "Transports", "Vélo"],
    "habitat-energie": ["Habitat", "Énergie", "Logement", "logement-hebergement", "Habitat & Énergie"],
    "economie-proximite": ["Économie locale", "Commerce", "Monnaie locale", "Tiers-lieu"],
    "environnement": ["Environnement", "Réemploi", "Recyclage", "Déchets", "Nature", "Réparation"],
    "democratie": ["Démocratie", "Citoyenneté", "Gouvernance", "Participation"],
    "solidarite": ["Solidarité", "Entraide", "Santé", "Lien social", "numerique", "CCAS"],
    "culture": ["Culture", "Éducation", "Loisirs", "Patrimoine", "Education & Formation"],
    "emploi": ["Emploi", "Insertion", "emploi", "ACI", "EI", "ETTI", "trouver-un-emploi"],
}  # fmt: skip


class ThemeMatcher:
    """Loaded once per file: two queries, whatever the number of rows."""

    def __init__(self):
        self.known = {}
        themes = {theme.slug: theme for theme in Theme.objects.all()}
        for slug, labels in DEFAULT_CORRESPONDENCES.items():
            for label in labels:
                if slug in themes:
                    self.known[fold_label(label)] = themes[slug]
        for theme in themes.values():
            for label in (theme.slug, theme.name_fr, theme.name_en):
                self.known[fold_label(label)] = theme
        self.ignored = set()
        for row in ThemeCorrespondence.objects.select_related("theme"):
            if row.theme is None:
                self.ignored.add(row.folded)
                self.known.pop(row.folded, None)
            else:
                self.known[row.folded] = row.theme

    def match(self, labels):
        """``(themes, unmatched labels)``; a data·inclusion label "category--detail" matches
        through its category when the whole label does not."""
        themes, unmatched = [], []
        for label in labels:
            key = fold_label(label)
            if not key or key in self.ignored:
                continue
            theme = self.known.get(key)
            if theme is None and "--" in label:
                theme = self.known.get(fold_label(label.split("--")[0]))
            if theme is None:
                unmatched.append(label)
            elif theme not in themes:
                themes.append(theme)
        return themes, unmatched
