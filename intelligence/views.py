import logging
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext, gettext_lazy
from django.views.decorators.http import require_GET

from initiatives import caching
from initiatives.models import Initiative
from territories.models import Outline, Territory

from . import charts, choropleth
from .comparison import compare
from .forms import MAX_COMPARED, MIN_COMPARED, CompareForm, find_territory
from .missing import missing_levers, missing_solutions
from .models import Solution
from .solutions import catalogue_counts, solution_initiatives, solution_page

PROFILE_LIST_LIMIT = 200
LEVEL_LABELS = [
    ("region", gettext_lazy("Regions")),
    ("department", gettext_lazy("Departments")),
    ("epci", gettext_lazy("Intercommunalities")),
]

logger = logging.getLogger(__name__)


def pdf_css():
    """The PDF's stylesheet, inlined (the file is small)."""
    return "\n".join(
        Path(finders.find(name)).read_text(encoding="utf-8") for name in ("css/profile-pdf.css",)
    )


MAP_POINT_LIMIT = 5000


@require_GET
def solution_list(request):
    counts = caching.cached("intel-catalogue", [], catalogue_counts)
    solutions = list(Solution.objects.prefetch_related("levers"))
    for solution in solutions:
        solution.initiative_count, solution.commune_count = counts.get(solution.pk, (0, 0))
    return render(request, "intelligence/solution_list.html", {"solutions": solutions})


@require_GET
def solution_detail(request, slug):
    solution = get_object_or_404(Solution.objects.prefetch_related("levers", "themes"), slug=slug)
    place = solution_page(solution)
    latest = solution_initiatives(solution).with_public_relations()[:12]
    return render(
        request,
        "intelligence/solution_detail.html",
        {
            "solution": solution,
            "place": place,
            "initiatives": latest,
            "map_data_url": reverse("initiatives:map-data"),
        },
    )


def territory_chart(comparison):
    """The chart of a comparison: the total and each theme, here beside the median."""
    rows = [(comparison.total.label, [comparison.total.rate, comparison.total.median])]
    rows += [(row.label, [row.rate, row.median]) for row in comparison.themes]
    return charts.bar_chart(rows, ["here", "median"])


def _compare_url(slugs):
    query = QueryDict(mutable=True)
    query.setlist("t", slugs)
    return (
        f"{reverse('intelligence:compare')}?{query.urlencode()}"
        if slugs
        else reverse("intelligence:compare")
    )


@require_GET
def compare_territories(request):
    form = CompareForm(request.GET)
    if not form.is_valid():
        errors = [message for messages in form.errors.values() for message in messages]
        return render(
            request, "intelligence/compare.html", {"form": form, "errors": errors}, status=400
        )
    chosen = form.cleaned_data["t"]
    slugs = [t.slug for t in chosen]
    added = request.GET.get("add", "").strip()
    if added:  # the picker without its script: the typed name, resolved, then a clean URL
        found = find_territory(added)
        if found is None:
            return render(
                request,
                "intelligence/compare.html",
                {"form": form, "chosen": _removals(slugs, chosen), "not_found": added},
                status=400,
            )
        if found.slug not in slugs and len(slugs) < MAX_COMPARED:
            slugs.append(found.slug)
        return redirect(_compare_url(slugs))
    if len(chosen) < MIN_COMPARED:
        return render(
            request, "intelligence/compare.html", {"form": form, "chosen": _removals(slugs, chosen)}
        )
    comparisons = [compare(territory) for territory in chosen]
    first = comparisons[0]
    series = [f"series-{i}" for i in range(len(comparisons))]
    rows = [(first.total.label, [c.total.rate for c in comparisons])]
    rows += [
        (row.label, [c.themes[i].rate for c in comparisons]) for i, row in enumerate(first.themes)
    ]
    table = [("total", first.total.label, [c.total for c in comparisons])]
    table += [
        ("theme", row.label, [c.themes[i] for c in comparisons])
        for i, row in enumerate(first.themes)
    ]
    table += [
        ("solution", row.label, [c.solutions[i] for c in comparisons])
        for i, row in enumerate(first.solutions)
        if any(c.solutions[i].count for c in comparisons)
    ]
    return render(
        request,
        "intelligence/compare.html",
        {
            "form": form,
            "comparisons": comparisons,
            "chart": charts.bar_chart(rows, series),
            "series": list(zip(comparisons, series, strict=True)),
            "table": table,
            "levers": [c.levers for c in comparisons],
            "chosen": _removals(slugs, chosen),
        },
    )


def _removals(slugs, chosen):
    """Each chosen territory with the address of the comparison without it."""
    return [(t, _compare_url([s for s in slugs if s != t.slug])) for t in chosen]


def profile_context(territory):
    """Everything the printable profile shows (the HTML page and its PDF alike)."""
    comparison = compare(territory)
    initiatives = (
        Initiative.objects.published()
        .in_territory(territory)
        .with_public_relations()
        .order_by("commune__name", "name")
    )
    listed = list(initiatives[:PROFILE_LIST_LIMIT])
    outline = Outline.objects.filter(territory=territory).first()
    map_svg = None
    if outline:
        points = list(
            Initiative.objects.published()
            .in_territory(territory)
            .values_list("latitude", "longitude")[:MAP_POINT_LIMIT]
        )
        map_svg = charts.outline_map(outline, points)
    return {
        "territory": territory,
        "comparison": comparison,
        "chart": territory_chart(comparison),
        "missing_solutions": missing_solutions(comparison),
        "missing_levers": missing_levers(comparison),
        "initiatives": listed,
        "listed_all": len(listed) == comparison.total.count,
        "map_svg": map_svg,
        "outline_source": outline.source if outline else "",
        "today": timezone.localdate(),
        "language": get_language(),
    }


def _territory(slug):
    return get_object_or_404(
        Territory.objects.select_related("region", "department", "epci"), slug=slug
    )


@require_GET
def profile(request, slug):
    context = profile_context(_territory(slug))
    return render(request, "intelligence/profile.html", context)


@require_GET
def profile_pdf(request, slug):
    territory = _territory(slug)
    today = timezone.localdate()
    # Cached on all of the public data (its nearest examples lie anywhere) and the day.
    try:
        pdf = caching.cached(
            "intel-pdf", [territory.pk, today.isoformat()], lambda: _render_pdf(request, territory)
        )
    except (ImportError, OSError):
        # WeasyPrint needs Debian's Pango libraries (.ci/run, docs/DEPLOY.md): without them, a
        # clear answer and the printable page instead of an error page.
        logger.exception("The PDF profile cannot be made: WeasyPrint or its libraries missing")
        message = gettext("The PDF cannot be made on this server just now: print the profile page.")
        return HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"ssemap-{territory.slug}-{today:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _render_pdf(request, territory):
    from weasyprint import HTML  # heavy: imported for this view only

    context = profile_context(territory)
    # Standalone: WeasyPrint reads no URL, the stylesheet is inlined.
    context.update(for_pdf=True, base_template="intelligence/pdf_base.html", inline_css=pdf_css())
    html = render(request, "intelligence/profile.html", context).content.decode()
    return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()


@require_GET
def country_map(request):
    """Initiatives per 10,000 inhabitants by region, department or intercommunality."""
    level = request.GET.get("level", "department")
    if level not in choropleth.LEVELS:
        return render(
            request, "intelligence/country_map.html", {"unknown_level": level[:40]}, status=400
        )
    context = choropleth.choropleth(choropleth.LEVELS[level])
    context.update(level=level, levels=LEVEL_LABELS)
    return render(request, "intelligence/country_map.html", context)
